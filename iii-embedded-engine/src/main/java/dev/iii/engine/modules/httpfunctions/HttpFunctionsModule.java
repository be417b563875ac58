package dev.iii.engine.modules.httpfunctions;

import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/**
 * Functions the engine invokes over HTTP: a worker registers a function with an {@code invocation}
 * (URL, method, headers, auth) and calls to it become HTTP requests.
 */
public final class HttpFunctionsModule implements EngineModule {

  private final HttpFunctionsConfig config;

  public HttpFunctionsModule(HttpFunctionsConfig config) {
    this.config = config;
  }

  @Override
  public void start(ModuleContext context) {
    // TODO: HTTP functions: context.messages().externalFunctions(...)
  }

  public HttpFunctionsConfig config() {
    return config;
  }
}
