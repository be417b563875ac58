/**
 * The REST API module: trigger type {@code http}, served on the HTTP port. Internal.
 *
 * <p>Where this module is stricter than the official engine (v0.22.1, {@code
 * engine/src/workers/rest_api/views.rs}), on purpose:
 *
 * <ul>
 *   <li><b>Body size.</b> A request body may be at most {@code limits.max_request_body_bytes} (16
 *       MiB). A larger {@code Content-Length} is answered 413 before any byte of the body is read;
 *       a chunked body is read up to the limit, then answered 413. Either way the connection is
 *       closed, and nothing ever holds more than the limit. A streamed (non-JSON) body that passes
 *       the limit ends its request channel early, as the official engine ends it when a body breaks
 *       off. The official engine has no limit.
 *   <li><b>Framing.</b> {@code Transfer-Encoding} other than exactly {@code chunked}, or together
 *       with {@code Content-Length}, is answered 400 and the connection closed (RFC 9112 §6.1,
 *       §6.3), so that no second request can hide in a body; so is an HTTP/1.1 request without
 *       exactly one {@code Host} (§3.2).
 *   <li><b>Invalid JSON.</b> An {@code application/json} body that does not parse is answered 400
 *       {@code {"error":{"code":"INVALID_JSON","message":"Request body is not valid JSON (line L,
 *       column C)"}}} and the function is not called; the official engine passes it on as {@code
 *       null} with the request ({@code serde_json::from_slice(..).unwrap_or(Value::Null)}), which
 *       hides the client's mistake. So is a body nested deeper than the codec's limit less the two
 *       levels of the invocation around it (498): a deeper one could not be decoded by the worker.
 *       An empty JSON body is still {@code null}.
 *   <li><b>Path parameters</b> are percent-decoded exactly once, as UTF-8 ({@code %2F} is a {@code
 *       /} inside the value, {@code +} stays {@code +}); a bad escape, invalid UTF-8 or a decoded
 *       NUL is answered 400 {@code INVALID_PATH_PARAMETER}. {@code ..%2F..} is the text {@code
 *       ../..}: data of one parameter, never a path, and functions that use it as a file name must
 *       check it as any input. The official engine passes the raw segment.
 * </ul>
 *
 * <p>Warnings a client can provoke (refused requests, response timeouts, misbehaving middleware,
 * triggers that serve nothing) go through {@link dev.iii.engine.support.RateLimitedLog}.
 */
@NullMarked
package dev.iii.engine.modules.http;

import org.jspecify.annotations.NullMarked;
