package dev.iii.engine.modules.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Flux;

/** How an HTTP request is answered, decided before the first response byte. */
sealed interface HttpOutcome {

  /** A complete response: the function's result, or an error. */
  record Complete(HttpResponseStatus status, HttpHeaders headers, byte[] body)
      implements HttpOutcome {}

  /** A response whose body streams from the response channel until it closes. */
  record Streaming(HttpResponseStatus status, HttpHeaders headers, Flux<ByteBuf> body)
      implements HttpOutcome {}

  /** Nothing was decided within the timeout. */
  record TimedOut() implements HttpOutcome {}
}
