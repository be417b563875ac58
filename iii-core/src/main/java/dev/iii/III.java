package dev.iii;

import dev.iii.channel.Channel;
import dev.iii.internal.Calls;
import dev.iii.internal.ClientParts;
import dev.iii.internal.EngineConnection;
import dev.iii.internal.InvocationDispatcher;
import dev.iii.internal.LocalFunction;
import dev.iii.internal.Payloads;
import dev.iii.internal.PendingCall;
import dev.iii.internal.Registrations;
import dev.iii.internal.Shutdown;
import dev.iii.internal.Urls;
import dev.iii.protocol.EngineFunctions;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.RawJson;
import dev.iii.protocol.RegisterFunction;
import dev.iii.protocol.RegisterService;
import dev.iii.protocol.RegisterTrigger;
import dev.iii.protocol.RegisterTriggerType;
import dev.iii.protocol.UnregisterFunction;
import dev.iii.protocol.UnregisterTrigger;
import dev.iii.protocol.UnregisterTriggerType;
import dev.iii.protocol.WorkerInfo;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The iii client: a worker connected to an iii engine over one WebSocket.
 *
 * <pre>{@code
 * III iii = new III("ws://localhost:49134");
 * iii.registerFunction("math::add", input -> {
 *   Map<?, ?> in = (Map<?, ?>) input;
 *   return Map.of("sum", ((Number) in.get("a")).intValue() + ((Number) in.get("b")).intValue());
 * });
 * iii.connect().join();
 * Object result = iii.call("math::add", Map.of("a", 1, "b", 2)).join();
 * }</pre>
 *
 * <p>This class is a façade: it checks arguments and turns each call into messages, and delegates
 * the rest to named parts (see ARCHITECTURE.md) — the {@code EngineConnection} (socket, reconnect,
 * state), the {@code EngineEndpoint} (write path and offline queue), {@code PendingCalls}, {@code
 * Registrations} (replayed on every connect), the {@code InvocationDispatcher} (running this
 * worker's functions) and the {@code TriggerTypeHost}.
 *
 * <p>Threading: network I/O runs on the transport's event loops and is never blocked; handlers run
 * on the handler executor; returned futures complete on SDK callback threads. No method blocks on
 * the network, and the client is thread-safe.
 *
 * <p>Connection: if the engine goes away, the client reconnects with backoff and jitter, then sends
 * again its trigger types, services, functions and triggers, then the calls made while offline,
 * then its worker metadata. Calls that were waiting on the lost connection fail at once with code
 * {@code connection_lost}.
 */
public final class III implements IIIClient {

  private static final Logger log = LoggerFactory.getLogger(III.class);

  private final URI address;
  private final InitOptions options;
  private final Payloads payloads;
  private final EngineConnection connection;
  private final Registrations registrations;
  private final InvocationDispatcher dispatcher;
  private final Calls calls;
  private final Shutdown shutdown;

  /** A client for the engine at {@code address} (e.g. {@code ws://localhost:49134}). */
  public III(String address) {
    this(address, InitOptions.defaults());
  }

  /** A client for the engine at {@code address} with the given options. */
  public III(String address, InitOptions options) {
    this.address = parseAddress(address);
    this.options = Objects.requireNonNull(options, "options");
    ClientParts parts = ClientParts.assemble(this.address, this.options);
    this.payloads = parts.payloads();
    this.connection = parts.connection();
    this.registrations = parts.registrations();
    this.dispatcher = parts.dispatcher();
    this.calls = parts.calls();
    this.shutdown = parts.shutdown();
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  @Override
  public CompletableFuture<Void> connect() {
    return connection.connect();
  }

  @Override
  public CompletableFuture<Void> shutdown() {
    return shutdown(Duration.ZERO);
  }

  @Override
  public CompletableFuture<Void> shutdown(Duration drainTimeout) {
    return shutdown.shutdown(Objects.requireNonNull(drainTimeout, "drainTimeout"));
  }

  @Override
  public void close() {
    try {
      shutdown()
          .get(
              Shutdown.CLOSE_TIMEOUT.toMillis() + 2000, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("iii client did not close cleanly", e);
    }
  }

  @Override
  public void awaitShutdown() throws InterruptedException {
    shutdown.await(options.shutdownTimeout());
  }

  @Override
  public Optional<String> workerId() {
    return connection.workerId();
  }

  @Override
  public ConnectionState getConnectionState() {
    return connection.state();
  }

  @Override
  public Runnable onConnectionStateChange(Consumer<ConnectionState> listener) {
    return connection.onStateChange(listener);
  }

  @Override
  public InvocationStats invocationStats() {
    return dispatcher.stats();
  }

  /** The engine address this client connects to. */
  public URI address() {
    return address;
  }

  /** The options this client was built with. */
  public InitOptions options() {
    return options;
  }

  // ---------------------------------------------------------------------------------------------
  // Registration

  @Override
  public FunctionRef registerFunction(String id, FunctionHandler handler) {
    return registerFunction(id, handler, null, null);
  }

  @Override
  public FunctionRef registerFunction(
      String id,
      FunctionHandler handler,
      @Nullable String description,
      @Nullable Map<String, ?> metadata) {
    Objects.requireNonNull(handler, "handler");
    return register(
        id, description, metadata, null, data -> handler.handle(payloads.readPlain(data)));
  }

  @Override
  public <T> FunctionRef registerFunction(
      String id, Class<T> inputType, TypedFunctionHandler<T> handler) {
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(handler, "handler");
    return register(id, null, null, null, data -> handler.handle(payloads.read(data, inputType)));
  }

  @Override
  public FunctionRef registerFunction(
      String id, HttpInvocationConfig config, @Nullable String description) {
    Objects.requireNonNull(config, "config");
    return register(
        id,
        description,
        null,
        config,
        data -> {
          // The engine calls the URL; only a misrouted invocation could arrive here.
          throw new IIIException(
              IIIException.FUNCTION_NOT_INVOKABLE,
              "function " + id + " is invoked over HTTP by the engine, not by this worker");
        });
  }

  private FunctionRef register(
      String id,
      @Nullable String description,
      @Nullable Map<String, ?> metadata,
      @Nullable HttpInvocationConfig invocation,
      LocalFunction function) {
    requireId(id, "function id");
    RegisterFunction message =
        new RegisterFunction(
            id,
            description,
            null,
            null,
            metadata == null ? null : payloads.toTree(metadata),
            invocation == null ? null : invocation.toJson());
    registrations.addFunction(id, function, message);
    return new Registration(
        id,
        "FunctionRef[" + id + "]",
        () -> registrations.removeFunction(id, function, new UnregisterFunction(id)));
  }

  @Override
  public Trigger registerTrigger(String type, String functionId, @Nullable Object config) {
    requireId(type, "trigger type");
    requireId(functionId, "function id");
    JsonNode configNode =
        config == null ? JsonNodeFactory.instance.objectNode() : payloads.toTree(config);
    String id = InvocationIds.random();
    registrations.addTrigger(id, new RegisterTrigger(id, type, functionId, configNode));
    return new Registration(
        id,
        "Trigger[" + id + " " + type + " -> " + functionId + "]",
        () -> registrations.removeTrigger(id, new UnregisterTrigger(id, type)));
  }

  @Override
  public void registerTriggerType(String id, String description, TriggerHandler handler) {
    requireId(id, "trigger type id");
    Objects.requireNonNull(handler, "handler");
    registrations.addTriggerType(
        id, handler, new RegisterTriggerType(id, description == null ? "" : description));
  }

  @Override
  public void unregisterTriggerType(String id) {
    registrations.removeTriggerType(id, new UnregisterTriggerType(id));
  }

  @Override
  public void registerService(String id, @Nullable String description, @Nullable String parentId) {
    requireId(id, "service id");
    // Engine 0.8.3 drops a registerservice without a name: default it to the id.
    registrations.addService(id, new RegisterService(id, id, description, parentId));
  }

  // ---------------------------------------------------------------------------------------------
  // Calls

  @Override
  public CompletableFuture<@Nullable Object> call(String functionId, @Nullable Object data) {
    return call(functionId, data, options.invocationTimeout());
  }

  @Override
  public CompletableFuture<@Nullable Object> call(
      String functionId, @Nullable Object data, Duration timeout) {
    return invoke(functionId, data, timeout, payloads::readValue);
  }

  @Override
  public <T> CompletableFuture<@Nullable T> call(
      String functionId, @Nullable Object data, Class<T> resultType) {
    return call(functionId, data, resultType, options.invocationTimeout());
  }

  @Override
  public <T> CompletableFuture<@Nullable T> call(
      String functionId, @Nullable Object data, Class<T> resultType, Duration timeout) {
    Objects.requireNonNull(resultType, "resultType");
    return invoke(
        functionId, data, timeout, result -> payloads.readResult(functionId, result, resultType));
  }

  @Override
  public void callVoid(String functionId, @Nullable Object data) {
    requireId(functionId, "function id");
    calls.callVoid(functionId, data);
  }

  /** Sends one call; its result is read by {@code reader} on a callback thread. */
  private <T> CompletableFuture<@Nullable T> invoke(
      String functionId,
      @Nullable Object data,
      Duration timeout,
      PendingCall.ResultReader<T> reader) {
    requireId(functionId, "function id");
    Objects.requireNonNull(timeout, "timeout");
    return calls.call(functionId, data, timeout, reader);
  }

  @Override
  public CompletableFuture<List<FunctionInfo>> listFunctions() {
    return invoke(
        EngineFunctions.FUNCTIONS_LIST,
        RawJson.EMPTY_OBJECT,
        options.invocationTimeout(),
        result -> payloads.readList(result, "functions", FunctionInfo.class));
  }

  @Override
  public CompletableFuture<List<WorkerInfo>> listWorkers() {
    return invoke(
        EngineFunctions.WORKERS_LIST,
        RawJson.EMPTY_OBJECT,
        options.invocationTimeout(),
        result -> payloads.readList(result, "workers", WorkerInfo.class));
  }

  @Override
  public CompletableFuture<Channel> createChannel() {
    return createChannel(RawJson.EMPTY_OBJECT);
  }

  @Override
  public CompletableFuture<Channel> createChannel(int bufferSize) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be at least 1: " + bufferSize);
    }
    return createChannel(Map.of("buffer_size", bufferSize));
  }

  private CompletableFuture<Channel> createChannel(Object input) {
    return invoke(
        EngineFunctions.CHANNELS_CREATE,
        input,
        options.invocationTimeout(),
        payloads::readCreatedChannel);
  }

  @Override
  public Runnable onFunctionsAvailable(Consumer<List<FunctionInfo>> callback) {
    Objects.requireNonNull(callback, "callback");
    String functionId = "iii.on_functions_available." + InvocationIds.random();
    FunctionRef function =
        register(
            functionId,
            null,
            null,
            null,
            data -> {
              callback.accept(payloads.readList(data, "functions", FunctionInfo.class));
              return null;
            });
    Trigger trigger = registerTrigger(EngineFunctions.FUNCTIONS_AVAILABLE, functionId, null);
    return () -> {
      trigger.unregister();
      function.unregister();
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static void requireId(@Nullable String id, String what) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
  }

  private static URI parseAddress(String address) {
    Objects.requireNonNull(address, "address");
    URI uri = URI.create(address);
    if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "engine address must be a ws:// or wss:// URL: " + Urls.redact(uri));
    }
    return uri;
  }

  @Override
  public String toString() {
    String id = connection.workerId().orElse(null);
    return "III["
        + Urls.redact(address)
        + ", "
        + connection.state()
        + (id == null ? "" : ", worker " + id)
        + "]";
  }

  /** What {@code registerFunction} and {@code registerTrigger} hand back. */
  private record Registration(String id, String label, Runnable remover)
      implements FunctionRef, Trigger {

    @Override
    public void unregister() {
      remover.run();
    }

    @Override
    public String toString() {
      return label;
    }
  }
}
