package dev.iii.engine.modules.http;

import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.modules.ModuleContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Serves one HTTP port: answers CORS preflights, resolves each request against the route table and
 * hands a match to an {@link HttpExchange}, within the concurrency limit; 404/405 otherwise.
 * Nothing here blocks. Thread-safe: its own state is immutable and the route table is read
 * lock-free.
 */
final class RestApiHandler {

  private final ModuleContext context;
  private final RouteTable routes;
  private final Duration timeout;
  private final Cors cors;
  private final HttpResponseWriter writer;
  private final RequestLimiter limiter;

  RestApiHandler(ModuleContext context, RouteTable routes, RestApiConfig config) {
    this.context = context;
    this.routes = routes;
    this.timeout = config.defaultTimeout();
    this.cors = new Cors(config.cors());
    this.writer = new HttpResponseWriter(cors);
    this.limiter = new RequestLimiter(config.concurrencyRequestLimit());
  }

  /** Answers one request on the HTTP port. */
  Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
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
      return limiter.run(
          () -> new HttpExchange(context, writer, timeout, request, uri, found).run(response));
    }
    if (match instanceof RouteTable.HeadWithoutRoute) {
      return writer.send(
          request, response, HttpResultMapper.text(HttpResponseStatus.NOT_FOUND, "Not Found"));
    }
    cors.applyToResponse(request.requestHeaders(), response.responseHeaders());
    if (match instanceof RouteTable.MethodNotAllowed notAllowed) {
      return response
          .status(HttpResponseStatus.METHOD_NOT_ALLOWED)
          .header(HttpHeaderNames.ALLOW, notAllowed.allow())
          .send();
    }
    return response.status(HttpResponseStatus.NOT_FOUND).send();
  }
}
