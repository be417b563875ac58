package dev.iii.engine.modules.stream;

import dev.iii.engine.config.StreamConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/** The {@code iii-stream} worker of the official engine. */
public final class StreamModule implements EngineModule {

  /** The in-process worker name the module is listed under. */
  public static final String NAME = "iii-stream";

  /** The official description. */
  public static final String DESCRIPTION =
      "Build durable streams for real-time data subscriptions.";

  private final StreamConfig config;

  /** A module with these settings; it starts with the engine. */
  public StreamModule(StreamConfig config) {
    this.config = config;
  }

  /** The module's settings. */
  public StreamConfig config() {
    return config;
  }

  @Override
  public void start(ModuleContext context) {}
}
