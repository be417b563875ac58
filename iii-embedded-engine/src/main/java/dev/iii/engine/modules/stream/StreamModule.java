package dev.iii.engine.modules.stream;

import dev.iii.engine.config.StreamConfig;
import dev.iii.engine.kv.KvStore;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.registry.EngineFunction;
import dev.iii.engine.registry.InvocationError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The {@code iii-stream} worker of the official engine: the functions {@code stream::set}, {@code
 * get}, {@code delete}, {@code update}, {@code list}, {@code list_groups}, {@code list_all} and
 * {@code send}; the trigger types {@code stream}, {@code stream:join} and {@code stream:leave}; and
 * the stream WebSocket (port 3112 by default) whose clients join streams and receive their changes.
 * Items live in a {@link KvStore} of the module's own.
 *
 * <p>Concurrency: started and closed by the engine (once each); the parts it wires are thread-safe.
 */
public final class StreamModule implements EngineModule {

  /** The in-process worker name the module is listed under. */
  public static final String NAME = "iii-stream";

  /** The official description. */
  public static final String DESCRIPTION =
      "Build durable streams for real-time data subscriptions.";

  private static final Logger log = LoggerFactory.getLogger(StreamModule.class);

  private final StreamConfig config;
  private final String bindHost;
  private @Nullable KvStore store;
  private @Nullable StreamHub hub;
  private volatile @Nullable StreamListener listener;

  /** A module with these settings, bound to the settings' host (loopback when they name none). */
  public StreamModule(StreamConfig config) {
    this(config, config.host() != null ? config.host() : "127.0.0.1");
  }

  /**
   * A module with these settings.
   *
   * @param bindHost where the stream WebSocket binds (the settings' host, else the engine's)
   */
  public StreamModule(StreamConfig config, String bindHost) {
    this.config = config;
    this.bindHost = bindHost;
  }

  /** The module's settings. */
  public StreamConfig config() {
    return config;
  }

  /**
   * The bound stream WebSocket port.
   *
   * @throws IllegalStateException when the module is not started
   */
  public int port() {
    StreamListener current = listener;
    if (current == null) {
      throw new IllegalStateException("the stream module is not started");
    }
    return current.port();
  }

  /** Where the stream WebSocket is bound. */
  public String host() {
    return bindHost;
  }

  @Override
  public void start(ModuleContext context) {
    String filePath = config.filePath();
    KvStore items =
        config.storeMethod().equals(StreamConfig.FILE_BASED)
            ? KvStore.fileBased(
                // The official kv adapter's default directory.
                Path.of(filePath != null ? filePath : "kv_store_data.db"),
                Duration.ofMillis(config.saveIntervalMs()))
            : KvStore.inMemory();
    StreamHub sockets = new StreamHub(context.scheduler());
    StreamTriggers triggers = new StreamTriggers(context.invocations(), context.triggers());
    StreamFunctions functions =
        new StreamFunctions(items, context.functions(), context.invocations(), triggers, sockets);
    register(context, "stream::set", "Set a value in a stream", functions::set);
    register(context, "stream::get", "Get a value from a stream", functions::get);
    register(context, "stream::delete", "Delete a value from a stream", functions::delete);
    register(context, "stream::list", "List all items in a stream group", functions::list);
    register(context, "stream::list_groups", "List all groups in a stream", functions::listGroups);
    register(
        context, "stream::list_all", "List all available stream with metadata", functions::listAll);
    register(context, "stream::send", "Send a custom event to stream subscribers", functions::send);
    register(
        context,
        "stream::update",
        "Atomically update a stream value with multiple operations",
        functions::update);
    context.registerTriggerType(
        StreamTriggers.JOIN, "Stream join trigger", triggers.joinLeaveProvider());
    context.registerTriggerType(
        StreamTriggers.LEAVE, "Stream leave trigger", triggers.joinLeaveProvider());
    context.registerTriggerType(StreamTriggers.STREAM, "Stream trigger", triggers.streamProvider());
    this.store = items;
    this.hub = sockets;
    this.listener =
        new StreamListener(
            bindHost,
            config.port(),
            config.authFunction(),
            sockets,
            triggers,
            functions,
            context.invocations(),
            context.limits());
    log.info("Stream API listening on ws://{}:{}", bindHost, port());
  }

  /** Number of open stream sockets. */
  public int socketCount() {
    StreamHub current = hub;
    return current == null ? 0 : current.socketCount();
  }

  private static void register(
      ModuleContext context,
      String id,
      String description,
      Function<JsonNode, CompletableFuture<@Nullable JsonNode>> body) {
    EngineFunction function =
        input -> {
          try {
            return body.apply(input);
          } catch (InvocationError e) {
            return CompletableFuture.failedFuture(e);
          }
        };
    context.registerFunction(id, description, function);
  }

  @Override
  public void close() {
    StreamListener current = listener;
    listener = null;
    if (current != null) {
      current.close();
    }
    KvStore items = store;
    if (items != null) {
      items.close();
    }
  }
}
