package dev.iii.engine.modules.http;

import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Trigger type {@code http}: HTTP requests on the HTTP port invoke the bound functions. A trigger's
 * route is served as soon as the trigger is registered and disappears when it is unregistered (or
 * its worker disconnects).
 */
public final class RestApiModule implements EngineModule {

  /** The trigger type id. */
  public static final String TRIGGER_TYPE = "http";

  private final RestApiConfig config;
  private final RouteTable routes = new RouteTable();
  private volatile @Nullable RestApiHandler handler;

  /** A module serving with the given settings once started. */
  public RestApiModule(RestApiConfig config) {
    this.config = config;
  }

  @Override
  public void start(ModuleContext context) {
    handler = new RestApiHandler(context, routes, config);
    context.registerTriggerType(
        TRIGGER_TYPE,
        "HTTP API trigger: invokes the function for requests to api_path",
        new HttpTriggerProvider(routes));
  }

  /** One catch-all route: the routes change at run time, so this module dispatches itself. */
  @Override
  public void httpRoutes(HttpServerRoutes serverRoutes) {
    serverRoutes.route(
        request -> true,
        (request, response) -> {
          RestApiHandler current = handler;
          return current == null
              ? Mono.error(new IllegalStateException("REST API module not started"))
              : current.handle(request, response);
        });
  }

  /** The settings this module serves with. */
  public RestApiConfig config() {
    return config;
  }
}
