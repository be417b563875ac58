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

  /** One function in detail (engine 0.22+): {@code {function_id}} → a {@link FunctionDetail}. */
  public static final String FUNCTIONS_INFO = "engine::functions::info";

  /** Lists connected workers: {@code {}} → {@code {workers: [...]}}. */
  public static final String WORKERS_LIST = "engine::workers::list";

  /** One worker in detail (engine 0.22+): {@code {name}} → a {@link WorkerDetail}. */
  public static final String WORKERS_INFO = "engine::workers::info";

  /** A worker's metadata (runtime, version, name, os, pid, telemetry), sent after connecting. */
  public static final String WORKERS_REGISTER = "engine::workers::register";

  /**
   * Lists trigger types (engine 0.22+; v0.9.0 listed registered triggers here): {@code
   * {include_internal?}} → {@code {triggers: [...]}}.
   */
  public static final String TRIGGERS_LIST = "engine::triggers::list";

  /** One trigger type in detail (engine 0.22+): {@code {id}} → a {@link TriggerTypeInfo}. */
  public static final String TRIGGERS_INFO = "engine::triggers::info";

  /** Lists registered triggers (engine 0.22+): → {@code {registered_triggers: [...]}}. */
  public static final String REGISTERED_TRIGGERS_LIST = "engine::registered-triggers::list";

  /** One registered trigger in detail (engine 0.22+): {@code {id}}. */
  public static final String REGISTERED_TRIGGERS_INFO = "engine::registered-triggers::info";

  /** Binds a function to a trigger on behalf of no worker (engine 0.22+). */
  public static final String REGISTER_TRIGGER = "engine::register_trigger";

  /** Removes a trigger bound with {@link #REGISTER_TRIGGER} (engine 0.22+). */
  public static final String UNREGISTER_TRIGGER = "engine::unregister_trigger";

  /** Creates a channel: {@code {buffer_size?}} → {@code {writer, reader}} refs. */
  public static final String CHANNELS_CREATE = "engine::channels::create";

  /** Trigger type fired with the whole function list whenever it changes. */
  public static final String FUNCTIONS_AVAILABLE = "engine::functions-available";

  /** Trigger type fired when workers connect, disconnect or update their metadata. */
  public static final String WORKERS_AVAILABLE = "engine::workers-available";

  private EngineFunctions() {}
}
