package dev.iii.engine.config;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the engine runs: its worker port and which modules, with their settings. A {@code null}
 * module is not loaded.
 *
 * <p>{@link #development()} is what the embedded engine runs without a config file: loopback only,
 * the official engine's default modules on (REST API, cron, HTTP functions, state, stream, pub/sub;
 * queue only when configured), HTTP-invoked functions allowed to call {@code localhost}. A config
 * file in the official engine's format gives the official semantics and defaults instead (see
 * {@code EngineConfigLoader}).
 *
 * @param host the address the worker listener binds to, and the REST API too unless its config
 *     names its own
 * @param port the worker WebSocket port (0 picks a free port)
 * @param restApi the REST API module ({@code http} triggers), or {@code null}
 * @param cron the cron module ({@code cron} triggers), or {@code null}
 * @param httpFunctions the module behind HTTP-invoked functions, or {@code null}
 * @param state the state module ({@code state::*} functions, {@code state} triggers), or {@code
 *     null}
 * @param stream the stream module ({@code stream::*} functions, the stream WebSocket, {@code
 *     stream} triggers), or {@code null}
 * @param pubsub the pub/sub module ({@code publish}, {@code subscribe} triggers), or {@code null}
 * @param queue the queue module (named queues, {@code TriggerAction.Enqueue}, durable topics), or
 *     {@code null}
 * @param skippedModules module classes named in the config file that this engine does not implement
 *     (reported once at start)
 * @param limits memory, socket and time bounds ({@code limits:} in a config file)
 */
public record EngineConfig(
    String host,
    int port,
    @Nullable RestApiConfig restApi,
    @Nullable CronConfig cron,
    @Nullable HttpFunctionsConfig httpFunctions,
    @Nullable StateConfig state,
    @Nullable StreamConfig stream,
    @Nullable PubSubConfig pubsub,
    @Nullable QueueConfig queue,
    List<String> skippedModules,
    EngineLimits limits) {

  /** The official engine's worker port. */
  public static final int DEFAULT_PORT = 49134;

  /** Loopback: an engine for development is not exposed to the network. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public EngineConfig {
    Objects.requireNonNull(host, "host");
    checkPort(port);
    skippedModules = List.copyOf(skippedModules);
    Objects.requireNonNull(limits, "limits");
  }

  /**
   * A config with the REST API, cron and HTTP functions as given, no state, stream, pub/sub or
   * queue module, and the default {@link EngineLimits}.
   */
  public EngineConfig(
      String host,
      int port,
      @Nullable RestApiConfig restApi,
      @Nullable CronConfig cron,
      @Nullable HttpFunctionsConfig httpFunctions,
      List<String> skippedModules) {
    this(
        host,
        port,
        restApi,
        cron,
        httpFunctions,
        null,
        null,
        null,
        null,
        skippedModules,
        EngineLimits.defaults());
  }

  /**
   * The official engine's default modules on (queue only when configured), loopback only,
   * development security for HTTP-invoked functions.
   */
  public static EngineConfig development() {
    return new EngineConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        RestApiConfig.defaults(),
        new CronConfig(),
        HttpFunctionsConfig.development(),
        StateConfig.defaults(),
        StreamConfig.defaults(),
        PubSubConfig.defaults(),
        null,
        List.of(),
        EngineLimits.defaults());
  }

  public EngineConfig withHost(String value) {
    return new EngineConfig(
        value,
        port,
        restApi,
        cron,
        httpFunctions,
        state,
        stream,
        pubsub,
        queue,
        skippedModules,
        limits);
  }

  public EngineConfig withPort(int value) {
    return new EngineConfig(
        host,
        value,
        restApi,
        cron,
        httpFunctions,
        state,
        stream,
        pubsub,
        queue,
        skippedModules,
        limits);
  }

  public EngineConfig withRestApi(@Nullable RestApiConfig value) {
    return new EngineConfig(
        host,
        port,
        value,
        cron,
        httpFunctions,
        state,
        stream,
        pubsub,
        queue,
        skippedModules,
        limits);
  }

  public EngineConfig withCron(@Nullable CronConfig value) {
    return new EngineConfig(
        host,
        port,
        restApi,
        value,
        httpFunctions,
        state,
        stream,
        pubsub,
        queue,
        skippedModules,
        limits);
  }

  public EngineConfig withHttpFunctions(@Nullable HttpFunctionsConfig value) {
    return new EngineConfig(
        host, port, restApi, cron, value, state, stream, pubsub, queue, skippedModules, limits);
  }

  public EngineConfig withState(@Nullable StateConfig value) {
    return new EngineConfig(
        host,
        port,
        restApi,
        cron,
        httpFunctions,
        value,
        stream,
        pubsub,
        queue,
        skippedModules,
        limits);
  }

  public EngineConfig withStream(@Nullable StreamConfig value) {
    return new EngineConfig(
        host,
        port,
        restApi,
        cron,
        httpFunctions,
        state,
        value,
        pubsub,
        queue,
        skippedModules,
        limits);
  }

  public EngineConfig withPubsub(@Nullable PubSubConfig value) {
    return new EngineConfig(
        host,
        port,
        restApi,
        cron,
        httpFunctions,
        state,
        stream,
        value,
        queue,
        skippedModules,
        limits);
  }

  public EngineConfig withQueue(@Nullable QueueConfig value) {
    return new EngineConfig(
        host,
        port,
        restApi,
        cron,
        httpFunctions,
        state,
        stream,
        pubsub,
        value,
        skippedModules,
        limits);
  }

  public EngineConfig withSkippedModules(List<String> value) {
    return new EngineConfig(
        host, port, restApi, cron, httpFunctions, state, stream, pubsub, queue, value, limits);
  }

  public EngineConfig withLimits(EngineLimits value) {
    return new EngineConfig(
        host,
        port,
        restApi,
        cron,
        httpFunctions,
        state,
        stream,
        pubsub,
        queue,
        skippedModules,
        value);
  }

  static int checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return port;
  }
}
