package dev.iii.engine.modules.state;

import dev.iii.engine.config.StateConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/** The {@code iii-state} worker of the official engine. */
public final class StateModule implements EngineModule {

  /** The in-process worker name the module is listed under. */
  public static final String NAME = "iii-state";

  /** The official description. */
  public static final String DESCRIPTION =
      "Distributed key-value state management with reactive change triggers.";

  private final StateConfig config;

  /** A module with these settings; it starts with the engine. */
  public StateModule(StateConfig config) {
    this.config = config;
  }

  /** The module's settings. */
  public StateConfig config() {
    return config;
  }

  @Override
  public void start(ModuleContext context) {}
}
