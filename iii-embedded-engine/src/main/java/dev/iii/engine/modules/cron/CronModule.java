package dev.iii.engine.modules.cron;

import dev.iii.engine.config.CronConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/** Trigger type {@code cron}: calls the bound functions on a schedule (UTC, seconds first). */
public final class CronModule implements EngineModule {

  /** The trigger type id. */
  public static final String TRIGGER_TYPE = "cron";

  private final CronConfig config;

  public CronModule(CronConfig config) {
    this.config = config;
  }

  @Override
  public void start(ModuleContext context) {
    // TODO: cron
  }

  public CronConfig config() {
    return config;
  }
}
