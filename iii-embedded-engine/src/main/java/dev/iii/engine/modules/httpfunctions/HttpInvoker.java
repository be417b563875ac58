package dev.iii.engine.modules.httpfunctions;

import dev.iii.engine.registry.InvocationError;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one invocation into one HTTP request and its response into the invocation's result, as the
 * official engine does: the data as the compact JSON body, the {@code x-iii-*} headers, the custom
 * headers, then the auth header; redirects are not followed; one timeout covers the whole exchange.
 *
 * <p>The request goes to the one address {@link UrlValidator#target} checked: the HTTP client is
 * given that resolved address (named after the URL's host, for TLS's SNI and certificate check) and
 * never resolves the name itself; the {@code Host} header is the URL's. Connections are pooled per
 * host name and address, so one is reused only for the same host at an address checked before.
 *
 * <p>Thread-safe and stateless per call; nothing here blocks: the request runs on Reactor Netty's
 * event loops.
 */
final class HttpInvoker implements AutoCloseable {

  /** The timeout when the registration gives none. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(30_000);

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final UrlValidator validator;
  private final ConnectionProvider connections = ConnectionProvider.create("iii-http-functions");
  private final HttpClient client = HttpClient.create(connections).followRedirect(false);

  /** TLS trust for tests; null for Reactor Netty's default (the JDK's trust store). */
  private final @Nullable SslContext sslContext;

  HttpInvoker(UrlValidator validator) {
    this(validator, null);
  }

  /**
   * With {@code sslContext} instead of the default TLS client settings (host names still checked).
   */
  HttpInvoker(UrlValidator validator, @Nullable SslContext sslContext) {
    this.validator = validator;
    this.sslContext = sslContext;
  }

  /**
   * Calls the function's URL with the call's data.
   *
   * @return the result ({@code null} for none), or a stage failed with an {@link InvocationError}:
   *     {@code url_validation_failed}, {@code http_error} (or the code the endpoint chose), {@code
   *     http_request_failed}, {@code http_response_failed} or {@code invalid_response}
   */
  CompletableFuture<@Nullable JsonNode> invoke(
      String functionId, HttpInvocation invocation, JsonNode data) {
    return validator
        .target(invocation.url())
        .thenCompose(target -> send(functionId, invocation, target, data));
  }

  private CompletableFuture<@Nullable JsonNode> send(
      String functionId, HttpInvocation invocation, UrlValidator.Target target, JsonNode data) {
    byte[] body = MAPPER.writeValueAsBytes(data);
    long timestamp = Instant.now().getEpochSecond();
    String invocationId = UUID.randomUUID().toString();
    Duration timeout =
        invocation.timeoutMs() == null
            ? DEFAULT_TIMEOUT
            : Duration.ofMillis(invocation.timeoutMs());
    // Whether the response headers arrived decides between a request and a response failure.
    AtomicBoolean headersArrived = new AtomicBoolean();
    InetSocketAddress address = target.socketAddress();
    // A relative URI makes the client connect to the remote address given here, as is.
    HttpClient pinned = client.remoteAddress(() -> address);
    if (target.secure()) {
      // Both variants verify the certificate against the host name the address is named after.
      SslContext tls = sslContext;
      pinned = tls == null ? pinned.secure() : pinned.secure(spec -> spec.sslContext(tls));
    }
    return pinned
        .request(HttpMethod.valueOf(invocation.method()))
        .uri(target.pathAndQuery())
        .send(
            (request, out) -> {
              HttpHeaders headers = request.requestHeaders();
              headers.set(HttpHeaderNames.HOST, target.hostHeader());
              // The official engine's HTTP client sends header names in lowercase.
              headers.add(HttpHeaderNames.CONTENT_TYPE, "application/json");
              headers.add("x-iii-function-path", functionId);
              headers.add("x-iii-invocation-id", invocationId);
              headers.add("x-iii-timestamp", Long.toString(timestamp));
              for (Map.Entry<String, String> header : invocation.headers().entrySet()) {
                headers.add(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
              }
              addAuth(headers, invocation.auth(), body, timestamp);
              headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
              return out.sendByteArray(Mono.just(body));
            })
        .responseSingle(
            (response, content) -> {
              headersArrived.set(true);
              return content
                  .asByteArray()
                  .defaultIfEmpty(new byte[0])
                  .map(bytes -> new RawResponse(response.status().code(), bytes));
            })
        .timeout(timeout)
        .toFuture()
        .handle(
            (response, error) -> {
              if (error != null) {
                throw failure(invocation, error, headersArrived.get());
              }
              return result(response);
            });
  }

  /** A status and the whole body. */
  private record RawResponse(int status, byte[] body) {}

  private static void addAuth(
      HttpHeaders headers, HttpInvocation.@Nullable Auth auth, byte[] body, long timestamp) {
    if (auth instanceof HttpInvocation.Hmac hmac) {
      headers.add("x-iii-signature", signature(hmac.secret(), timestamp, body));
    } else if (auth instanceof HttpInvocation.Bearer bearer) {
      headers.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer.token());
    } else if (auth instanceof HttpInvocation.ApiKey apiKey) {
      headers.add(apiKey.header().toLowerCase(Locale.ROOT), apiKey.value());
    }
  }

  /** {@code sha256=} + lowercase hex HMAC-SHA256(secret, "<timestamp>:<base64(body)>"). */
  static String signature(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String message = timestamp + ":" + Base64.getEncoder().encodeToString(body);
      return "sha256="
          + HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      // Every JRE provides HmacSHA256.
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static @Nullable JsonNode result(RawResponse response) {
    int status = response.status();
    byte[] body = response.body();
    if (status >= 200 && status < 300) {
      if (body.length == 0) {
        return null;
      }
      JsonNode parsed = parse(body);
      if (parsed == null) {
        throw new InvocationError(
            "invalid_response", "the response body is not JSON: " + preview(body));
      }
      return parsed.isNull() ? null : parsed;
    }
    JsonNode parsed = body.length == 0 ? null : parse(body);
    if (parsed != null && parsed.isObject() && parsed.has("error")) {
      JsonNode error = parsed.get("error");
      JsonNode code = error.path("code");
      JsonNode message = error.path("message");
      throw new InvocationError(
          code.isString() ? code.asString() : "http_error",
          message.isString() ? message.asString() : "HTTP request failed");
    }
    throw new InvocationError(
        "http_error", "HTTP " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase());
  }

  private static @Nullable JsonNode parse(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JacksonException e) {
      return null;
    }
  }

  private static String preview(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  private static InvocationError failure(
      HttpInvocation invocation, Throwable error, boolean headersArrived) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof InvocationError invocationError) {
      return invocationError;
    }
    String reason =
        cause instanceof TimeoutException
            ? "operation timed out"
            : String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
    if (headersArrived) {
      return new InvocationError(
          "http_response_failed",
          "error reading the response body from "
              + UrlRedaction.redact(invocation.url())
              + ": "
              + reason);
    }
    return new InvocationError(
        "http_request_failed",
        "error sending request for url (" + UrlRedaction.redact(invocation.url()) + "): " + reason);
  }

  @Override
  public void close() {
    connections.dispose();
  }
}
