package dev.iii.engine.modules.pubsub;

import dev.iii.engine.config.PubSubConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/** The {@code iii-pubsub} worker of the official engine. */
public final class PubSubModule implements EngineModule {

  /** The in-process worker name the module is listed under. */
  public static final String NAME = "iii-pubsub";

  /** The official description. */
  public static final String DESCRIPTION =
      "Topic-based publish/subscribe messaging for real-time event distribution.";

  private final PubSubConfig config;

  /** A module with these settings; it starts with the engine. */
  public PubSubModule(PubSubConfig config) {
    this.config = config;
  }

  /** The module's settings. */
  public PubSubConfig config() {
    return config;
  }

  @Override
  public void start(ModuleContext context) {}
}
