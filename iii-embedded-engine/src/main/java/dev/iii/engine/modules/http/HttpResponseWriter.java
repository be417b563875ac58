package dev.iii.engine.modules.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** Writes a decided {@link HttpOutcome} to Netty, with the CORS headers. Immutable. */
final class HttpResponseWriter {

  private final Cors cors;

  HttpResponseWriter(Cors cors) {
    this.cors = cors;
  }

  Mono<Void> send(HttpServerRequest request, HttpServerResponse response, HttpOutcome outcome) {
    if (outcome instanceof HttpOutcome.TimedOut) {
      // The timeout sits outside the CORS layer in the official engine: no CORS headers here.
      return response.status(HttpResponseStatus.GATEWAY_TIMEOUT).send();
    }
    HttpHeaders headers = response.responseHeaders();
    if (outcome instanceof HttpOutcome.Complete complete) {
      headers.add(complete.headers());
      if (complete
          .headers()
          .containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
        // A refusal that leaves the rest of the request unread: the connection ends with it.
        response.keepAlive(false);
      }
      cors.applyToResponse(request.requestHeaders(), headers);
      if (forbidsBody(complete.status())) {
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        return response.status(complete.status()).send();
      }
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, complete.body().length);
      return response.status(complete.status()).sendByteArray(Mono.just(complete.body())).then();
    }
    HttpOutcome.Streaming streaming = (HttpOutcome.Streaming) outcome;
    headers.add(streaming.headers());
    cors.applyToResponse(request.requestHeaders(), headers);
    // Flush every chunk: server-sent events must reach the client as they are written.
    return response.status(streaming.status()).send(streaming.body(), chunk -> true).then();
  }

  /** Statuses HTTP sends without a body (the official server drops it too). */
  private static boolean forbidsBody(HttpResponseStatus status) {
    int code = status.code();
    return code < 200 || code == 204 || code == 304;
  }
}
