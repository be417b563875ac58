package dev.iii.engine.modules;

import reactor.netty.http.server.HttpServerRoutes;

/**
 * A part of the engine that adds functions, trigger types or HTTP routes. Modules are started
 * before the listeners bind and closed after they stop.
 */
public interface EngineModule extends AutoCloseable {

  /** Registers the module's functions and trigger types. */
  void start(ModuleContext context);

  /**
   * Adds routes on the engine (worker WebSocket) port. Routes are fixed once bound; a module whose
   * routes change at run time adds one catch-all route and dispatches itself.
   */
  default void engineRoutes(HttpServerRoutes routes) {}

  /** Adds routes on the HTTP port. */
  default void httpRoutes(HttpServerRoutes routes) {}

  /** Stops timers and releases resources. */
  @Override
  default void close() {}
}
