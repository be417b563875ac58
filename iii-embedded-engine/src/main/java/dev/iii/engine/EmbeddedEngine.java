package dev.iii.engine;

import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.config.StreamConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.channels.ChannelEndpoint;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.modules.cron.CronModule;
import dev.iii.engine.modules.http.RestApiModule;
import dev.iii.engine.modules.httpfunctions.HttpFunctionsModule;
import dev.iii.engine.modules.pubsub.PubSubModule;
import dev.iii.engine.modules.queue.QueueModule;
import dev.iii.engine.modules.state.StateModule;
import dev.iii.engine.modules.stream.StreamModule;
import dev.iii.engine.modules.telemetry.TelemetryModule;
import dev.iii.engine.modules.worker.EngineFunctionsModule;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.ModuleDirectory;
import dev.iii.engine.registry.ServiceRegistry;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.WorkerRegistry;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.router.MessageRouter;
import dev.iii.engine.transport.EngineServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * An iii engine running in this JVM, wire-compatible with the official engine: workers in any
 * language connect to {@link #wsUrl()} and call each other's functions through it.
 *
 * <pre>{@code
 * try (EmbeddedEngine engine = EmbeddedEngine.builder().port(0).build().start()) {
 *   III client = new III(engine.wsUrl());
 *   ...
 * }
 * }</pre>
 *
 * <p>Port 0 picks a free port; {@link #port()} and {@link #httpPort()} then tell which. Closing the
 * engine closes every worker connection (workers see the engine go away and reconnect by
 * themselves) and frees both ports.
 *
 * <p>Each concern is one {@link EngineModule}, listed as an in-process worker as in the official
 * engine: {@code iii-engine-functions} (the {@code engine::*} built-ins), {@code iii-observability}
 * (SDK telemetry), {@code iii-worker-manager} (channels), and, as configured, {@code iii-http},
 * {@code iii-cron}, {@code iii-http-functions}, {@code iii-state}, {@code iii-stream}, {@code
 * iii-pubsub} and {@code iii-queue}.
 *
 * <p>Thread-safe: starting, closing and the port accessors synchronise on the engine.
 *
 * <p>Over 400 lines because it is the whole public face of the engine in one place: start and
 * close, the ports and URLs of its three listeners, and the {@link Builder} users reach as {@code
 * EmbeddedEngine.builder()}; the modules themselves are wired by one install call each.
 */
public final class EmbeddedEngine implements AutoCloseable {

  /** The official engine's worker port. */
  public static final int DEFAULT_PORT = EngineConfig.DEFAULT_PORT;

  /** The official engine's REST API port. */
  public static final int DEFAULT_HTTP_PORT = RestApiConfig.DEFAULT_PORT;

  /** Loopback by default: an engine for development is not exposed to the network. */
  public static final String DEFAULT_HOST = EngineConfig.DEFAULT_HOST;

  private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);
  private static final int RETAINED_LOG_RECORDS = 1000;

  private final EngineConfig config;
  private final Duration shutdownTimeout;
  private final TelemetryModule telemetry;
  private final List<EngineModule> modules = new ArrayList<>();
  private final List<ModuleContext> contexts = new ArrayList<>();
  private final ChannelRegistry channels = new ChannelRegistry();
  private @Nullable EngineServer server;
  private @Nullable StreamModule streamModule;
  private @Nullable ScheduledExecutorService scheduler;
  private boolean closed;

  private EmbeddedEngine(Builder builder) {
    this.config = builder.config;
    this.shutdownTimeout = builder.shutdownTimeout;
    this.telemetry =
        new TelemetryModule(RETAINED_LOG_RECORDS, config.limits().maxTelemetryLogBytes());
  }

  /**
   * A builder with the official defaults: 127.0.0.1, ports 49134, 3111 (HTTP) and 3112 (streams).
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the ports and starts serving.
   *
   * @return this engine
   * @throws IllegalStateException when already started or closed
   * @throws RuntimeException when a port cannot be bound (e.g. already in use)
   */
  public synchronized EmbeddedEngine start() {
    if (server != null || closed) {
      throw new IllegalStateException(closed ? "engine is closed" : "engine already started");
    }
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "iii-engine-scheduler");
              thread.setDaemon(true);
              return thread;
            });
    WorkerRegistry workers = new WorkerRegistry();
    FunctionRegistry functions = new FunctionRegistry();
    TriggerRegistry triggers = new TriggerRegistry();
    InvocationRouter invocations =
        new InvocationRouter(functions, triggers, config.limits().invocationTimeout());
    invocations.scheduleExpiry(executor);
    MessageRouter router =
        new MessageRouter(workers, functions, triggers, new ServiceRegistry(), invocations);
    ModuleDirectory directory = new ModuleDirectory();
    Installer installer =
        (module, name, description, internal) -> {
          modules.add(module);
          contexts.add(
              new ModuleContext(
                  workers,
                  functions,
                  triggers,
                  invocations,
                  router,
                  channels,
                  executor,
                  directory,
                  directory.add(name, description, internal),
                  config.limits()));
        };
    installer.install(telemetry, TelemetryModule.NAME, TelemetryModule.DESCRIPTION, true);
    installer.install(
        new EngineFunctionsModule(telemetry.store()),
        EngineFunctionsModule.NAME,
        EngineFunctionsModule.DESCRIPTION,
        true);
    installer.install(
        new ChannelEndpoint(),
        "iii-worker-manager",
        "WebSocket listener that SDK workers connect to. Supports RBAC, middleware, registration"
            + " hooks, and channels.",
        true);
    RestApiConfig restApi = config.restApi();
    if (restApi != null) {
      installer.install(
          new RestApiModule(restApi), "iii-http", "Expose functions as HTTP endpoints.", false);
    }
    if (config.cron() != null) {
      installer.install(
          new CronModule(config.cron()),
          "iii-cron",
          "Schedule functions with cron expressions.",
          false);
    }
    if (config.httpFunctions() != null) {
      installer.install(
          new HttpFunctionsModule(config.httpFunctions()),
          "iii-http-functions",
          "Expose external HTTP endpoints from config as callable functions.",
          false);
    }
    if (config.state() != null) {
      installer.install(
          new StateModule(config.state()), StateModule.NAME, StateModule.DESCRIPTION, false);
    }
    StreamConfig stream = config.stream();
    if (stream != null) {
      StreamModule module =
          new StreamModule(stream, stream.host() != null ? stream.host() : config.host());
      installer.install(module, StreamModule.NAME, StreamModule.DESCRIPTION, false);
      streamModule = module;
    }
    if (config.pubsub() != null) {
      installer.install(
          new PubSubModule(config.pubsub()), PubSubModule.NAME, PubSubModule.DESCRIPTION, false);
    }
    if (config.queue() != null) {
      installer.install(
          new QueueModule(config.queue()), QueueModule.NAME, QueueModule.DESCRIPTION, false);
    }
    config
        .skippedModules()
        .forEach(
            name -> log.warn("Module {} is not supported by the embedded engine; skipped", name));
    try {
      for (int i = 0; i < modules.size(); i++) {
        modules.get(i).start(contexts.get(i));
      }
      server =
          new EngineServer(
              config.host(),
              config.port(),
              httpBindHost(config),
              restApi == null ? -1 : restApi.port(),
              router,
              telemetry.store(),
              routes -> modules.forEach(module -> module.engineRoutes(routes)),
              routes -> modules.forEach(module -> module.httpRoutes(routes)),
              config.limits());
    } catch (RuntimeException e) {
      closeModules();
      executor.shutdownNow();
      throw e;
    }
    scheduler = executor;
    log.info(
        "iii engine listening on {}{}",
        listenUrl(),
        restApi == null ? " (no REST API module)" : " (HTTP " + httpUrl() + ")");
    return this;
  }

  /**
   * The worker WebSocket URL to connect to, e.g. {@code ws://127.0.0.1:49134}: an engine bound to
   * every interface is reached on {@code 127.0.0.1}. {@link #host()} tells where it is bound.
   */
  public String wsUrl() {
    return "ws://" + connectHost(config.host()) + ":" + port();
  }

  /** Where the worker listener is bound, e.g. {@code ws://0.0.0.0:49134}. */
  String listenUrl() {
    return listenUrl(config.host(), port());
  }

  /** The URL of a worker listener bound to {@code host} and {@code port}, as bound. */
  static String listenUrl(String host, int port) {
    return "ws://" + urlHost(host) + ":" + port;
  }

  /** The URL of an HTTP listener bound to {@code host} and {@code port}, as bound. */
  static String httpUrl(String host, int port) {
    return "http://" + urlHost(host) + ":" + port;
  }

  /**
   * The base URL of the HTTP port, with the address it is bound to, e.g. {@code
   * http://127.0.0.1:3111}; {@code http://0.0.0.0:3111} when it listens on every interface.
   *
   * @throws IllegalStateException when the REST API module is not loaded
   */
  public String httpUrl() {
    int httpPort = httpPort();
    return httpUrl(Objects.requireNonNull(httpBindHost(config)), httpPort);
  }

  /**
   * Where the HTTP port binds: the REST API's own host when its settings name one (a config file's
   * {@code iii-http} {@code host}), else the engine's host; {@code null} without the REST API.
   */
  static @Nullable String httpBindHost(EngineConfig config) {
    RestApiConfig restApi = config.restApi();
    if (restApi == null) {
      return null;
    }
    String own = restApi.host();
    return own != null ? own : config.host();
  }

  /** The bound worker port. */
  public int port() {
    return running().port();
  }

  /**
   * The bound HTTP port.
   *
   * @throws IllegalStateException when the REST API module is not loaded
   */
  public int httpPort() {
    int port = running().httpPort();
    if (port < 0) {
      throw new IllegalStateException("the REST API module is not loaded: no HTTP port");
    }
    return port;
  }

  /**
   * The bound stream WebSocket port ({@code iii-stream}; 3112 by default).
   *
   * @throws IllegalStateException when the stream module is not loaded or the engine not running
   */
  public int streamPort() {
    running();
    StreamModule module = streamModule;
    if (module == null) {
      throw new IllegalStateException("the stream module is not loaded: no stream port");
    }
    return module.port();
  }

  /** Number of open stream WebSocket connections (0 without the stream module); for tests. */
  int streamSocketCount() {
    StreamModule module = streamModule;
    return module == null ? 0 : module.socketCount();
  }

  /** The host the worker listener binds to (and the HTTP port, unless the REST API names one). */
  public String host() {
    return config.host();
  }

  /** What this engine runs. */
  public EngineConfig config() {
    return config;
  }

  /** Whether {@link #start()} succeeded and {@link #close()} has not been called. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Log records the connected SDKs sent as telemetry, oldest first (at most 1000, and at most
   * {@code limits.max_telemetry_log_bytes} of their JSON).
   */
  public List<JsonNode> recentLogRecords() {
    return telemetry.store().recentLogRecords();
  }

  /** The registered channels (reserved ones included); for tests that check what is left. */
  ChannelRegistry channelRegistry() {
    return channels;
  }

  /** Closes every worker connection and both listeners. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (server != null) {
      server.close(shutdownTimeout);
      server = null;
      log.info("iii engine stopped");
    }
    closeModules();
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  private synchronized EngineServer running() {
    if (server == null) {
      throw new IllegalStateException("engine is not running");
    }
    return server;
  }

  private void closeModules() {
    for (EngineModule module : modules) {
      try {
        module.close();
      } catch (RuntimeException e) {
        log.warn("Engine module {} failed to close", module.getClass().getSimpleName(), e);
      }
    }
    modules.clear();
    contexts.clear();
    streamModule = null;
  }

  /** Adds a module under its in-process worker name. */
  @FunctionalInterface
  private interface Installer {
    void install(EngineModule module, String name, String description, boolean internal);
  }

  /** Whether {@code host} binds every interface. */
  static boolean isAllInterfaces(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** A host as an URL writes it: IPv6 literals in brackets. */
  private static String urlHost(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Where a client on this machine reaches a listener bound to {@code host}. */
  private static String connectHost(String host) {
    return urlHost(isAllInterfaces(host) ? "127.0.0.1" : host);
  }

  /** Configures an {@link EmbeddedEngine}. */
  public static final class Builder {

    private EngineConfig config = EngineConfig.development();
    private Duration shutdownTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Everything at once, e.g. from a config file ({@code EngineConfigLoader}); the other builder
     * methods then adjust it.
     */
    public Builder config(EngineConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The address to bind, {@code 127.0.0.1} by default; {@code 0.0.0.0} for every interface. */
    public Builder host(String host) {
      this.config = config.withHost(Objects.requireNonNull(host, "host"));
      return this;
    }

    /** The worker WebSocket port, 49134 by default; 0 picks a free port. */
    public Builder port(int port) {
      this.config = config.withPort(port);
      return this;
    }

    /**
     * The HTTP (REST API) port, 3111 by default; 0 picks a free port.
     *
     * @throws IllegalStateException when the configuration does not load the REST API module
     */
    public Builder httpPort(int httpPort) {
      RestApiConfig restApi = config.restApi();
      if (restApi == null) {
        throw new IllegalStateException("the REST API module is not loaded: no HTTP port to set");
      }
      this.config = config.withRestApi(restApi.withPort(httpPort));
      return this;
    }

    /**
     * The stream WebSocket port ({@code iii-stream}), 3112 by default; 0 picks a free port.
     *
     * @throws IllegalStateException when the configuration does not load the stream module
     */
    public Builder streamPort(int streamPort) {
      StreamConfig stream = config.stream();
      if (stream == null) {
        throw new IllegalStateException("the stream module is not loaded: no stream port to set");
      }
      this.config = config.withStream(stream.withPort(streamPort));
      return this;
    }

    /**
     * The engine's memory, socket and time bounds ({@link EngineLimits#defaults()} unless a config
     * file sets them), e.g. {@code .limits(EngineLimits.defaults().withMaxRequestBodyBytes(1 <<
     * 20))}.
     */
    public Builder limits(EngineLimits limits) {
      this.config = config.withLimits(Objects.requireNonNull(limits, "limits"));
      return this;
    }

    /** How long {@link EmbeddedEngine#close()} waits for connections to close, 5 s by default. */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
      return this;
    }

    public EmbeddedEngine build() {
      return new EmbeddedEngine(this);
    }
  }
}
