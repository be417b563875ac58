package dev.iii.spring.worker;

import dev.iii.IIIClient;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What argument resolvers read during one invocation.
 *
 * @param raw the input exactly as the client handed it to the handler
 * @param httpRequest the input as a map when it is an HTTP trigger's request, else {@code null}
 * @param client the client the function is registered with
 */
record InvocationInput(@Nullable Object raw, @Nullable Map<?, ?> httpRequest, IIIClient client) {

  /** The payload a payload parameter binds to: the request body for HTTP, else the input. */
  @Nullable Object payload() {
    return httpRequest != null ? httpRequest.get("body") : raw;
  }
}
