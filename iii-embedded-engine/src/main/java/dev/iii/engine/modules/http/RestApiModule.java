package dev.iii.engine.modules.http;

import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/** Trigger type {@code http}: HTTP requests on the HTTP port invoke the bound functions. */
public final class RestApiModule implements EngineModule {

  /** The trigger type id. */
  public static final String TRIGGER_TYPE = "http";

  private final RestApiConfig config;

  public RestApiModule(RestApiConfig config) {
    this.config = config;
  }

  @Override
  public void start(ModuleContext context) {
    // TODO: REST API
  }

  public RestApiConfig config() {
    return config;
  }
}
