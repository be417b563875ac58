package dev.iii.engine.modules.queue;

import dev.iii.engine.config.QueueConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/** The {@code iii-queue} worker of the official engine. */
public final class QueueModule implements EngineModule {

  /** The in-process worker name the module is listed under. */
  public static final String NAME = "iii-queue";

  /** The official description. */
  public static final String DESCRIPTION =
      "Async job processing with named queues, retries, and dead-letter support.";

  private final QueueConfig config;

  /** A module with these settings; it starts with the engine. */
  public QueueModule(QueueConfig config) {
    this.config = config;
  }

  /** The module's settings. */
  public QueueConfig config() {
    return config;
  }

  @Override
  public void start(ModuleContext context) {}
}
