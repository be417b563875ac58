package dev.iii;

import dev.iii.channel.Channel;
import dev.iii.internal.Calls;
import dev.iii.internal.ClientParts;
import dev.iii.internal.EngineConnection;
import dev.iii.internal.InvocationDispatcher;
import dev.iii.internal.Payloads;
import dev.iii.internal.PendingCall;
import dev.iii.internal.Publish;
import dev.iii.internal.Registrar;
import dev.iii.internal.Shutdown;
import dev.iii.internal.Urls;
import dev.iii.protocol.EngineFunctions;
import dev.iii.protocol.FunctionDetail;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.InvocationAction;
import dev.iii.protocol.RawJson;
import dev.iii.protocol.WorkerDetail;
import dev.iii.protocol.WorkerInfo;
import dev.iii.state.State;
import dev.iii.stream.Streams;
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
 * <p>Connection: if the engine goes away, the client reconnects with backoff and jitter, asks the
 * engine to retire the previous connection ({@code reattach}), then sends again its worker
 * metadata, its trigger types, services, functions and triggers, then the calls made while offline.
 * Calls that were waiting on the lost connection fail at once with code {@code connection_lost}.
 * The client pings the engine and drops a connection that stays silent for {@link
 * InitOptions#idleTimeout()}. When the engine refuses the worker itself (access control, a
 * conflicting worker name), the client stops in {@link ConnectionState#FAILED} and {@link
 * #fatalError()} says why.
 */
public final class III implements IIIClient {

  private static final Logger log = LoggerFactory.getLogger(III.class);

  private final URI address;
  private final InitOptions options;
  private final Payloads payloads;
  private final EngineConnection connection;
  private final Registrar registrar;
  private final InvocationDispatcher dispatcher;
  private final Calls calls;
  private final Shutdown shutdown;

  /** A client for the engine at {@code address} (e.g. {@code ws://localhost:49134}). */
  public III(String address) {
    this(address, InitOptions.defaults());
  }

  /**
   * A client for the engine at {@code address} with the given options.
   *
   * @throws IllegalArgumentException when the address is not a {@code ws://} or {@code wss://} URL
   *     with a host, or carries credentials ({@code ws://user:secret@host}): those go with the
   *     handshake ({@link InitOptions#headers()}, {@link InitOptions#queryParams()}); the message
   *     never repeats them
   */
  public III(String address, InitOptions options) {
    this.address = Urls.engineAddress(address);
    this.options = Objects.requireNonNull(options, "options");
    ClientParts parts = ClientParts.assemble(this.address, this.options);
    this.payloads = parts.payloads();
    this.connection = parts.connection();
    this.registrar = parts.registrar();
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
  public Optional<IIIException> fatalError() {
    return connection.fatalError();
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
    return registerFunction(id, handler, RegisterFunctionOptions.NONE);
  }

  @Override
  public FunctionRef registerFunction(
      String id, FunctionHandler handler, RegisterFunctionOptions options) {
    return registrar.function(id, handler, Objects.requireNonNull(options, "options"));
  }

  @Override
  public <T> FunctionRef registerFunction(
      String id,
      Class<T> inputType,
      TypedFunctionHandler<T> handler,
      RegisterFunctionOptions options) {
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    return registrar.function(
        id,
        registrar.withInputSchema(options, inputType),
        null,
        data -> handler.handle(payloads.read(data, inputType)));
  }

  @Override
  public FunctionRef registerFunction(
      String id, HttpInvocationConfig config, RegisterFunctionOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    return registrar.function(
        id,
        options,
        config.toJson(),
        data -> {
          // The engine calls the URL; only a misrouted invocation could arrive here.
          throw new IIIException(
              IIIException.FUNCTION_NOT_INVOKABLE,
              "function " + id + " is invoked over HTTP by the engine, not by this worker");
        });
  }

  @Override
  public Trigger registerTrigger(
      String type, String functionId, @Nullable Object config, @Nullable Map<String, ?> metadata) {
    return registrar.trigger(type, functionId, config, metadata);
  }

  @Override
  public TriggerTypeRef registerTriggerType(
      String id, String description, TriggerHandler handler, RegisterTriggerTypeOptions options) {
    return registrar.triggerType(id, description, handler, options);
  }

  @Override
  public void unregisterTriggerType(String id) {
    registrar.unregisterTriggerType(id);
  }

  @Override
  public void registerService(String id, @Nullable String description, @Nullable String parentId) {
    registrar.service(id, description, parentId);
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
    Registrar.requireId(functionId, "function id");
    calls.callVoid(functionId, data, null);
  }

  @Override
  public CompletableFuture<@Nullable Object> trigger(TriggerRequest request) {
    return trigger(request, payloads::readValue);
  }

  @Override
  public <T> CompletableFuture<@Nullable T> trigger(TriggerRequest request, Class<T> resultType) {
    Objects.requireNonNull(resultType, "resultType");
    String functionId = request.functionId();
    return trigger(request, result -> payloads.readResult(functionId, result, resultType));
  }

  private <T> CompletableFuture<@Nullable T> trigger(
      TriggerRequest request, PendingCall.ResultReader<T> reader) {
    TriggerAction action = Objects.requireNonNull(request, "request").action();
    if (action != null && action.queue() == null) { // void: nothing comes back
      try {
        calls.callVoid(request.functionId(), request.payload(), request.metadata());
        return CompletableFuture.completedFuture(null);
      } catch (RuntimeException e) { // shut down, too large, not writable as JSON
        return CompletableFuture.failedFuture(e);
      }
    }
    Duration timeout = request.timeout();
    return calls.call(
        request.functionId(),
        request.payload(),
        request.metadata(),
        action == null ? null : InvocationAction.enqueue(Objects.requireNonNull(action.queue())),
        timeout != null ? timeout : options.invocationTimeout(),
        reader);
  }

  /** Sends one call; its result is read by {@code reader} on a callback thread. */
  private <T> CompletableFuture<@Nullable T> invoke(
      String functionId,
      @Nullable Object data,
      Duration timeout,
      PendingCall.ResultReader<T> reader) {
    Registrar.requireId(functionId, "function id");
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
  public Streams streams() {
    return new Streams(this, options().jsonMapper());
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
  public CompletableFuture<FunctionDetail> functionInfo(String functionId) {
    Registrar.requireId(functionId, "function id");
    return info(
        EngineFunctions.FUNCTIONS_INFO, Map.of("function_id", functionId), FunctionDetail.class);
  }

  @Override
  public CompletableFuture<WorkerDetail> workerInfo(String name) {
    Registrar.requireId(name, "worker name");
    return info(EngineFunctions.WORKERS_INFO, Map.of("name", name), WorkerDetail.class);
  }

  private <T> CompletableFuture<T> info(String builtIn, Object input, Class<T> type) {
    return invoke(
        builtIn,
        input,
        options.invocationTimeout(),
        result -> Objects.requireNonNull(payloads.readResult(builtIn, result, type), builtIn));
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
    return registrar.onFunctionsAvailable(callback);
  }

  @Override
  public State state() {
    return new State(this, options.jsonMapper());
  }

  @Override
  public CompletableFuture<Void> publish(String topic, @Nullable Object data) {
    Objects.requireNonNull(topic, "topic");
    return invoke(
        Publish.FUNCTION_ID,
        Publish.payload(topic, payloads.write(data)),
        options.invocationTimeout(),
        result -> (Void) null);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

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
}
