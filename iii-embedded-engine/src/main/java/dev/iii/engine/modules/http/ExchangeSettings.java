package dev.iii.engine.modules.http;

import dev.iii.engine.modules.ModuleContext;
import java.time.Duration;
import java.util.List;

/**
 * What every request on one HTTP port shares.
 *
 * @param context the engine's registries, routers and channels
 * @param writer writes decided responses
 * @param timeout how long a request may take until its response is decided (504 after)
 * @param middleware calls middleware functions
 * @param globalMiddleware the configured middleware run before every route's, in order
 * @param bodyLimit the largest request body, in bytes ({@code limits.max_request_body_bytes})
 */
record ExchangeSettings(
    ModuleContext context,
    HttpResponseWriter writer,
    Duration timeout,
    HttpMiddleware middleware,
    List<String> globalMiddleware,
    int bodyLimit) {

  ExchangeSettings {
    globalMiddleware = List.copyOf(globalMiddleware);
  }
}
