package dev.iii.protocol;

/**
 * Ids of the engine's built-in functions and trigger types, as workers call and bind them. The
 * engine reserves the {@code engine::} prefix.
 */
public final class EngineFunctions {

  /** The prefix of every engine built-in. */
  public static final String PREFIX = "engine::";

  /** Lists registered functions: {@code {include_internal?}} → {@code {functions: [...]}}. */
  public static final String FUNCTIONS_LIST = "engine::functions::list";

  /** Lists connected workers: {@code {}} → {@code {workers: [...]}}. */
  public static final String WORKERS_LIST = "engine::workers::list";

  /** A worker's metadata (runtime, version, name, os, pid, telemetry), sent after connecting. */
  public static final String WORKERS_REGISTER = "engine::workers::register";

  /** Lists registered triggers. */
  public static final String TRIGGERS_LIST = "engine::triggers::list";

  /** Creates a channel: {@code {buffer_size?}} → {@code {writer, reader}} refs. */
  public static final String CHANNELS_CREATE = "engine::channels::create";

  /** Trigger type fired with the whole function list whenever it changes. */
  public static final String FUNCTIONS_AVAILABLE = "engine::functions-available";

  /** Trigger type fired when workers connect, disconnect or update their metadata. */
  public static final String WORKERS_AVAILABLE = "engine::workers-available";

  private EngineFunctions() {}
}
