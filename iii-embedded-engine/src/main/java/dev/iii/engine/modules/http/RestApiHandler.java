package dev.iii.engine.modules.http;

import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.modules.ModuleContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Serves one HTTP port: refuses request heads that fail {@link RequestChecks}, answers CORS
 * preflights, resolves each request against the route table and hands a match to an {@link
 * HttpExchange}, within the concurrency limit; 404/405 otherwise. Nothing here blocks. Thread-safe:
 * its own state is immutable and the route table is read lock-free.
 */
final class RestApiHandler {

  /** The largest body a byte array holds: a larger configured limit is read as this. */
  private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  private final RouteTable routes;
  private final Cors cors;
  private final HttpResponseWriter writer;
  private final RequestLimiter limiter;
  private final ExchangeSettings settings;
  private final int bodyLimit;

  RestApiHandler(ModuleContext context, RouteTable routes, RestApiConfig config) {
    this.routes = routes;
    this.cors = new Cors(config.cors());
    this.writer = new HttpResponseWriter(cors);
    this.limiter = new RequestLimiter(config.concurrencyRequestLimit());
    this.bodyLimit = (int) Math.min(context.limits().maxRequestBodyBytes(), (long) MAX_ARRAY_BYTES);
    List<String> global = new ArrayList<>();
    for (RestApiConfig.MiddlewareConfig middleware : config.middleware()) {
      // Only this phase exists in the official engine; others are never run.
      if (middleware.phase().equals(HttpMiddleware.PRE_HANDLER)) {
        global.add(middleware.functionId());
      }
    }
    this.settings =
        new ExchangeSettings(
            context,
            writer,
            config.defaultTimeout(),
            new HttpMiddleware(context.invocations(), config.defaultTimeout()),
            global,
            bodyLimit);
  }

  /** Answers one request on the HTTP port. */
  Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    HttpOutcome refused = RequestChecks.refusal(request, bodyLimit);
    if (refused != null) {
      return writer.send(request, response, refused);
    }
    if (request.method().equals(HttpMethod.OPTIONS)) {
      // The official CORS layer answers every OPTIONS request itself, route or not.
      cors.applyToPreflight(request.requestHeaders(), response.responseHeaders());
      return response.status(HttpResponseStatus.OK).send();
    }
    QueryStringDecoder uri =
        QueryStringDecoder.builder().semicolonIsNormalChar(true).build(request.uri());
    String method = request.method().name();
    RouteTable.Match match = routes.match(uri.rawPath(), method);
    if (match instanceof RouteTable.Found found) {
      return limiter.run(() -> new HttpExchange(settings, request, uri, found).run(response));
    }
    if (match instanceof RouteTable.MethodNotAllowed notAllowed) {
      // The router's own 405: no body, and no envelope (the official fallback only sees 404s).
      cors.applyToResponse(request.requestHeaders(), response.responseHeaders());
      return response
          .status(HttpResponseStatus.METHOD_NOT_ALLOWED)
          .header(HttpHeaderNames.ALLOW, notAllowed.allow())
          .send();
    }
    // An unknown path, or HEAD on a GET route (which the official router accepts and then finds
    // no HEAD registration for): the official 404 envelope.
    return writer.send(request, response, HttpErrors.notFound());
  }
}
