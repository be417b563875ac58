package dev.iii;

import dev.iii.channel.Channel;
import dev.iii.channel.ChannelConnector;
import dev.iii.channel.ChannelRef;
import dev.iii.internal.DaemonThreads;
import dev.iii.internal.SdkVersion;
import dev.iii.internal.WorkerMetrics;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.Ping;
import dev.iii.protocol.Pong;
import dev.iii.protocol.ProtocolException;
import dev.iii.protocol.RegisterFunction;
import dev.iii.protocol.RegisterService;
import dev.iii.protocol.RegisterTrigger;
import dev.iii.protocol.RegisterTriggerType;
import dev.iii.protocol.TriggerRegistrationResult;
import dev.iii.protocol.UnregisterFunction;
import dev.iii.protocol.UnregisterTrigger;
import dev.iii.protocol.UnregisterTriggerType;
import dev.iii.protocol.WorkerRegistered;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

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
 * <p>Threading: network I/O runs on Reactor Netty event loops and is never blocked; handlers run on
 * the handler executor ({@link InitOptions#handlerExecutor()}); returned futures complete on an SDK
 * callback thread. The client is thread-safe.
 *
 * <p>Connection: if the engine goes away, the client reconnects with backoff and jitter, then sends
 * again its trigger types, services, functions and triggers, then the calls made while offline,
 * then its worker metadata. Calls that were waiting on the lost connection fail at once with code
 * {@code connection_lost}.
 */
public final class III implements IIIClient {

  private static final Logger log = LoggerFactory.getLogger(III.class);

  /** The engine's built-in trigger type for function-set changes. */
  static final String FUNCTIONS_AVAILABLE = "engine::functions-available";

  /** The engine's built-in function that creates a channel. */
  static final String CHANNELS_CREATE = "engine::channels::create";

  /** Largest message the official engine accepts in one frame. */
  static final int MAX_OUTBOUND_BYTES = 16 * 1024 * 1024;

  /** Largest message accepted from the engine (fragments joined), as the engine itself allows. */
  static final int MAX_INBOUND_BYTES = 64 * 1024 * 1024;

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final URI address;
  private final InitOptions options;
  private final JsonMapper mapper;

  /** The user's mapper plus channel ends, for typed handler input. */
  private final JsonMapper inputMapper;

  private final ChannelConnector channels;
  private final MessageCodec codec = MessageCodec.instance();
  private final ReactorNettyWebSocketClient webSocketClient;
  private final Executor handlerExecutor;
  private final @Nullable ExecutorService ownedHandlerExecutor;
  private final ExecutorService callbackExecutor;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService eventExecutor;

  /** Guards the connection state, the registrations and the offline queue. */
  private final Object lock = new Object();

  private final Map<String, RegisterFunction> functionRegistrations = new LinkedHashMap<>();
  private final Map<String, RegisterTrigger> triggerRegistrations = new LinkedHashMap<>();
  private final Map<String, RegisterTriggerType> triggerTypeRegistrations = new LinkedHashMap<>();
  private final Map<String, RegisterService> serviceRegistrations = new LinkedHashMap<>();
  private final ArrayDeque<Queued> offlineQueue = new ArrayDeque<>();
  private @Nullable Session session;
  private @Nullable Session connecting;
  private boolean running;
  private boolean shuttingDown;
  private int attempt;
  private @Nullable ScheduledFuture<?> reconnectTask;
  private @Nullable ScheduledFuture<?> metricsTask;
  private final WorkerMetrics workerMetrics = new WorkerMetrics();
  private CompletableFuture<Void> connectFuture = new CompletableFuture<>();
  private final CompletableFuture<Void> shutdownFuture = new CompletableFuture<>();

  /** Read from network threads without the lock. */
  private final Map<String, LocalFunction> handlers = new ConcurrentHashMap<>();

  private final Map<String, TriggerHandler> triggerHandlers = new ConcurrentHashMap<>();
  private final Map<String, ArmedTrigger> armedTriggers = new ConcurrentHashMap<>();
  private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();
  private final List<StateListener> stateListeners = new CopyOnWriteArrayList<>();
  private long stateVersion;
  private volatile ConnectionState state = ConnectionState.DISCONNECTED;
  private volatile @Nullable String workerId;

  /** A client for the engine at {@code address} (e.g. {@code ws://localhost:49134}). */
  public III(String address) {
    this(address, InitOptions.defaults());
  }

  /** A client for the engine at {@code address} with the given options. */
  public III(String address, InitOptions options) {
    this.address = parseAddress(address);
    this.options = Objects.requireNonNull(options, "options");
    this.mapper = options.jsonMapper();
    this.webSocketClient =
        new ReactorNettyWebSocketClient(
            HttpClient.create(),
            () -> WebsocketClientSpec.builder().maxFramePayloadLength(MAX_INBOUND_BYTES));
    if (options.handlerExecutor() != null) {
      this.handlerExecutor = options.handlerExecutor();
      this.ownedHandlerExecutor = null;
    } else {
      this.ownedHandlerExecutor = Executors.newCachedThreadPool(new DaemonThreads("iii-handler"));
      this.handlerExecutor = ownedHandlerExecutor;
    }
    this.callbackExecutor = Executors.newCachedThreadPool(new DaemonThreads("iii-callback"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("iii-scheduler"));
    this.eventExecutor = Executors.newSingleThreadExecutor(new DaemonThreads("iii-events"));
    this.channels = new ChannelConnector(this.address, webSocketClient, callbackExecutor);
    this.inputMapper = mapper.rebuild().addModule(channels.jacksonModule()).build();
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  @Override
  public CompletableFuture<Void> connect() {
    synchronized (lock) {
      if (shuttingDown) {
        return CompletableFuture.failedFuture(
            new IIIException(IIIException.SHUTDOWN, "client is shut down"));
      }
      if (!running) {
        running = true;
        attempt = 0;
        if (connectFuture.isDone()) {
          connectFuture = new CompletableFuture<>();
        }
        setState(ConnectionState.CONNECTING);
        openConnection();
      }
      return connectFuture;
    }
  }

  @Override
  public CompletableFuture<Void> shutdown() {
    Session closing;
    List<Queued> queued;
    synchronized (lock) {
      if (shuttingDown) {
        return shutdownFuture;
      }
      shuttingDown = true;
      running = false;
      if (reconnectTask != null) {
        reconnectTask.cancel(false);
      }
      if (metricsTask != null) {
        metricsTask.cancel(false);
      }
      closing = session != null ? session : connecting;
      session = null;
      connecting = null;
      workerId = null;
      queued = new ArrayList<>(offlineQueue);
      offlineQueue.clear();
      setState(ConnectionState.DISCONNECTED);
    }
    IIIException stopped = new IIIException(IIIException.SHUTDOWN, "iii is shutting down");
    pending.values().forEach(call -> failCall(call, stopped));
    queued.forEach(q -> q.fail(stopped));
    connectFuture.completeExceptionally(stopped);
    Mono<Void> closed = closing == null ? Mono.empty() : closing.close();
    closed
        .timeout(CLOSE_TIMEOUT)
        .onErrorResume(e -> Mono.empty())
        .doFinally(signal -> releaseThreads())
        .subscribe();
    return shutdownFuture;
  }

  @Override
  public void close() {
    try {
      shutdown().get(CLOSE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("iii client did not close cleanly", e);
    }
  }

  @Override
  public Optional<String> workerId() {
    return Optional.ofNullable(workerId);
  }

  @Override
  public ConnectionState getConnectionState() {
    return state;
  }

  @Override
  public Runnable onConnectionStateChange(Consumer<ConnectionState> listener) {
    Objects.requireNonNull(listener, "listener");
    StateListener entry = new StateListener(listener);
    long version;
    ConnectionState current;
    synchronized (lock) {
      version = stateVersion;
      current = state;
      stateListeners.add(entry);
    }
    entry.deliver(version, current);
    return () -> stateListeners.remove(entry);
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
        id,
        description,
        metadata,
        null,
        data -> handler.handle(channels.resolveRefs(toJava(data))));
  }

  @Override
  public <T> FunctionRef registerFunction(
      String id, Class<T> inputType, TypedFunctionHandler<T> handler) {
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(handler, "handler");
    return register(
        id,
        null,
        null,
        null,
        data -> handler.handle(data.isNull() ? null : inputMapper.treeToValue(data, inputType)));
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
            metadata == null ? null : mapper.valueToTree(metadata),
            invocation == null ? null : invocation.toJson());
    synchronized (lock) {
      if (functionRegistrations.containsKey(id)) {
        throw new IllegalStateException("function id already registered: " + id);
      }
      functionRegistrations.put(id, message);
      handlers.put(id, function);
      sendIfConnected(message);
    }
    return new Registration(
        id,
        "FunctionRef[" + id + "]",
        () -> {
          synchronized (lock) {
            if (functionRegistrations.remove(id) != null) {
              handlers.remove(id);
              sendIfConnected(new UnregisterFunction(id));
            }
          }
        });
  }

  @Override
  public Trigger registerTrigger(String type, String functionId, @Nullable Object config) {
    requireId(type, "trigger type");
    requireId(functionId, "function id");
    JsonNode configNode = config == null ? JSON.objectNode() : toNode(config);
    String id = UUID.randomUUID().toString();
    RegisterTrigger message = new RegisterTrigger(id, type, functionId, configNode);
    synchronized (lock) {
      triggerRegistrations.put(id, message);
      sendIfConnected(message);
    }
    return new Registration(
        id,
        "Trigger[" + id + " " + type + " -> " + functionId + "]",
        () -> {
          synchronized (lock) {
            if (triggerRegistrations.remove(id) != null) {
              sendIfConnected(new UnregisterTrigger(id, type));
            }
          }
        });
  }

  @Override
  public void registerTriggerType(String id, String description, TriggerHandler handler) {
    requireId(id, "trigger type id");
    Objects.requireNonNull(handler, "handler");
    RegisterTriggerType message =
        new RegisterTriggerType(id, description == null ? "" : description);
    synchronized (lock) {
      triggerTypeRegistrations.put(id, message);
      triggerHandlers.put(id, handler);
      sendIfConnected(message);
    }
  }

  @Override
  public void unregisterTriggerType(String id) {
    synchronized (lock) {
      if (triggerTypeRegistrations.remove(id) != null) {
        triggerHandlers.remove(id);
        sendIfConnected(new UnregisterTriggerType(id));
      }
    }
  }

  @Override
  public void registerService(String id, @Nullable String description, @Nullable String parentId) {
    requireId(id, "service id");
    // Engine 0.8.3 drops a registerservice without a name: default it to the id.
    RegisterService message = new RegisterService(id, id, description, parentId);
    synchronized (lock) {
      serviceRegistrations.put(id, message);
      sendIfConnected(message);
    }
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
    return invoke(functionId, data, timeout).thenApply(this::toJava);
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
    return invoke(functionId, data, timeout)
        .thenApply(node -> convertResult(functionId, node, resultType));
  }

  private <T> @Nullable T convertResult(
      String functionId, @Nullable JsonNode node, Class<T> resultType) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return mapper.treeToValue(node, resultType);
    } catch (RuntimeException e) {
      throw new IIIException(
          IIIException.INVALID_RESULT,
          "result cannot be read as " + resultType.getName() + ": " + e.getMessage(),
          functionId,
          null,
          e);
    }
  }

  @Override
  public void callVoid(String functionId, @Nullable Object data) {
    requireId(functionId, "function id");
    Intercepted intercepted = intercept(functionId);
    try {
      sendVoid(functionId, data, intercepted);
    } catch (RuntimeException e) {
      endCall(intercepted.completion(), e);
      throw e;
    }
    endCall(intercepted.completion(), null);
  }

  private void sendVoid(String functionId, @Nullable Object data, Intercepted intercepted) {
    String json = codec.encode(intercepted.message(null, functionId, toNode(data)));
    checkSize(functionId, json);
    synchronized (lock) {
      if (shuttingDown) {
        throw new IIIException(
            IIIException.SHUTDOWN, "client is shut down", functionId, null, null);
      }
      if (state == ConnectionState.FAILED) {
        throw new IIIException(
            IIIException.CONNECTION_FAILED,
            "not connected: reconnection gave up",
            functionId,
            null,
            null);
      }
      if (!sendIfConnected(json, null)) {
        enqueue(new Queued(json, null, functionId));
      }
    }
  }

  /** Sends one call and returns the raw JSON result ({@code null} when the function gave none). */
  CompletableFuture<@Nullable JsonNode> invoke(
      String functionId, @Nullable Object data, Duration timeout) {
    requireId(functionId, "function id");
    Objects.requireNonNull(timeout, "timeout");
    String invocationId = InvocationIds.random();
    Intercepted intercepted = intercept(functionId);
    String json;
    try {
      json = codec.encode(intercepted.message(invocationId, functionId, toNode(data)));
      checkSize(functionId, json);
    } catch (RuntimeException e) {
      if (intercepted.completion() == CallInterceptor.Completion.NONE) {
        return CompletableFuture.failedFuture(e);
      }
      CompletableFuture<@Nullable JsonNode> failed = new CompletableFuture<>();
      onCallbackThread(
          () -> {
            completeInterception(intercepted.completion(), e);
            failed.completeExceptionally(e);
          });
      return failed;
    }
    PendingCall call = new PendingCall(invocationId, functionId, intercepted.completion());
    pending.put(invocationId, call);
    try {
      call.timeoutTask =
          scheduler.schedule(
              () ->
                  failCall(
                      call,
                      new IIIException(
                          IIIException.TIMEOUT,
                          "Invocation timed out after " + timeout.toMillis() + " ms",
                          functionId,
                          null,
                          null)),
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      failCall(call, new IIIException(IIIException.SHUTDOWN, "client is shut down"));
      return call.future;
    }
    synchronized (lock) {
      if (shuttingDown) {
        failCall(call, new IIIException(IIIException.SHUTDOWN, "client is shut down"));
      } else if (state == ConnectionState.FAILED) {
        failCall(
            call,
            new IIIException(
                IIIException.CONNECTION_FAILED,
                "not connected: reconnection gave up",
                functionId,
                null,
                null));
      } else if (!sendIfConnected(json, call)) {
        enqueue(new Queued(json, call, functionId));
      }
    }
    return call.future;
  }

  @Override
  public CompletableFuture<List<FunctionInfo>> listFunctions() {
    return invoke("engine::functions::list", JSON.objectNode(), options.invocationTimeout())
        .thenApply(result -> readList(result, "functions", FunctionInfo.class));
  }

  @Override
  public CompletableFuture<List<WorkerInfo>> listWorkers() {
    return invoke("engine::workers::list", JSON.objectNode(), options.invocationTimeout())
        .thenApply(result -> readList(result, "workers", WorkerInfo.class));
  }

  @Override
  public CompletableFuture<Channel> createChannel() {
    return createChannel(JSON.objectNode());
  }

  @Override
  public CompletableFuture<Channel> createChannel(int bufferSize) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be at least 1: " + bufferSize);
    }
    ObjectNode input = JSON.objectNode();
    input.put("buffer_size", bufferSize);
    return createChannel(input);
  }

  private CompletableFuture<Channel> createChannel(ObjectNode input) {
    return invoke(CHANNELS_CREATE, input, options.invocationTimeout())
        .thenApply(
            result ->
                new Channel(
                    channels.writer(channelRef(result, "writer")),
                    channels.reader(channelRef(result, "reader"))));
  }

  private ChannelRef channelRef(@Nullable JsonNode result, String field) {
    JsonNode ref = result == null ? null : result.get(field);
    try {
      if (ref != null && ref.isObject()) {
        return codec.mapper().treeToValue(ref, ChannelRef.class);
      }
    } catch (RuntimeException e) {
      // reported below, with the whole answer
    }
    throw new IIIException(
        IIIException.INVALID_RESULT,
        "engine answered channel creation without a valid " + field + " ref: " + result,
        CHANNELS_CREATE,
        null,
        null);
  }

  @Override
  public Runnable onFunctionsAvailable(Consumer<List<FunctionInfo>> callback) {
    Objects.requireNonNull(callback, "callback");
    String functionId = "iii.on_functions_available." + UUID.randomUUID();
    FunctionRef function =
        register(
            functionId,
            null,
            null,
            null,
            data -> {
              callback.accept(readList(data, "functions", FunctionInfo.class));
              return null;
            });
    Trigger trigger = registerTrigger(FUNCTIONS_AVAILABLE, functionId, null);
    return () -> {
      trigger.unregister();
      function.unregister();
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Connection

  /** Starts one connection attempt. Called with the lock held. */
  private void openConnection() {
    Session attemptSession = new Session();
    connecting = attemptSession;
    Mono<Void> run =
        webSocketClient.execute(
            address,
            ws -> {
              attemptSession.webSocket = ws;
              if (!onOpen(attemptSession)) {
                return ws.close(CloseStatus.GOING_AWAY);
              }
              Mono<Void> inbound =
                  ws.receive()
                      .doOnNext(message -> onFrame(attemptSession, message))
                      .then()
                      .doFinally(signal -> attemptSession.complete());
              Mono<Void> outbound =
                  ws.send(
                      attemptSession
                          .outbound
                          .asFlux()
                          .map(
                              frame ->
                                  frame instanceof byte[] bytes
                                      ? ws.binaryMessage(factory -> factory.wrap(bytes))
                                      : ws.textMessage((String) frame)));
              // Both sides fail on a reset; delaying errors reports one, rather than dropping one.
              return Mono.whenDelayError(inbound, outbound);
            });
    attemptSession.disposable =
        run.subscribe(
            ignored -> {},
            error -> onClosed(attemptSession, error),
            () -> onClosed(attemptSession, null));
  }

  /** The socket is open: send every registration, the offline queue, then the metadata. */
  private boolean onOpen(Session opened) {
    synchronized (lock) {
      if (!running) {
        opened.complete();
        return false; // shut down while the handshake was under way
      }
      session = opened;
      connecting = null;
      opened.open = true;
      attempt = 0;
      triggerTypeRegistrations.values().forEach(m -> opened.emit(codec.encode(m)));
      serviceRegistrations.values().forEach(m -> opened.emit(codec.encode(m)));
      functionRegistrations.values().forEach(m -> opened.emit(codec.encode(m)));
      triggerRegistrations.values().forEach(m -> opened.emit(codec.encode(m)));
      int flushed = 0;
      while (!offlineQueue.isEmpty()) {
        Queued queued = offlineQueue.removeFirst();
        if (queued.call != null) {
          if (queued.call.future.isDone()) {
            continue; // timed out while offline
          }
          queued.call.sentOn = opened;
        }
        opened.emit(queued.json);
        flushed++;
      }
      opened.emit(codec.encode(new InvokeFunction(null, "engine::workers::register", metadata())));
      setState(ConnectionState.CONNECTED);
      log.info(
          "Connected to iii engine at {}{}",
          address,
          flushed > 0 ? " (sent " + flushed + " queued calls)" : "");
      return true;
    }
  }

  /** The socket closed (or never opened): fail what waited on it and plan the next attempt. */
  private void onClosed(Session closed, @Nullable Throwable error) {
    List<PendingCall> lost = new ArrayList<>();
    boolean wasOpen;
    synchronized (lock) {
      wasOpen = closed.open;
      closed.open = false;
      if (session == closed) {
        session = null;
        workerId = null;
      }
      if (connecting == closed) {
        connecting = null;
      }
      for (PendingCall call : pending.values()) {
        if (call.sentOn == closed) {
          lost.add(call);
        }
      }
      if (running) {
        scheduleReconnect(wasOpen, error);
      }
    }
    if (shuttingDown && !shutdownFuture.isDone()) {
      releaseThreads();
    }
    for (PendingCall call : lost) {
      failCall(
          call,
          new IIIException(
              IIIException.CONNECTION_LOST,
              "connection to the engine was lost before the function answered",
              call.functionId,
              null,
              error));
    }
  }

  /** Called with the lock held. */
  private void scheduleReconnect(boolean wasOpen, @Nullable Throwable error) {
    ReconnectionConfig config = options.reconnection();
    String cause = error == null ? "closed by the engine" : String.valueOf(error.getMessage());
    if (config.maxRetries() != -1 && attempt >= config.maxRetries()) {
      running = false;
      setState(ConnectionState.FAILED);
      IIIException failure =
          new IIIException(
              IIIException.CONNECTION_FAILED,
              "could not connect to " + address + " after " + attempt + " retries: " + cause,
              null,
              null,
              error);
      log.error("{}", failure.getMessage());
      connectFuture.completeExceptionally(failure);
      List<Queued> queued = new ArrayList<>(offlineQueue);
      offlineQueue.clear();
      queued.forEach(q -> q.fail(failure));
      return;
    }
    Duration delay = config.delay(attempt, ThreadLocalRandom.current().nextDouble());
    attempt++;
    if (wasOpen) {
      log.warn("Connection to iii engine at {} lost ({}); reconnecting", address, cause);
    } else if (attempt % 10 == 1) {
      // The first failure and every tenth: a wrong address should not go unnoticed, nor flood logs.
      log.warn(
          "Cannot connect to iii engine at {} ({}); retry {} in {} ms",
          address,
          cause,
          attempt,
          delay.toMillis());
    } else {
      log.debug(
          "Cannot connect to iii engine at {} ({}); retry {} in {} ms",
          address,
          cause,
          attempt,
          delay.toMillis());
    }
    setState(ConnectionState.RECONNECTING);
    reconnectTask =
        scheduler.schedule(
            () -> {
              synchronized (lock) {
                if (running && session == null) {
                  openConnection();
                }
              }
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private void onFrame(Session from, WebSocketMessage frame) {
    if (frame.getType() != WebSocketMessage.Type.TEXT
        && frame.getType() != WebSocketMessage.Type.BINARY) {
      return;
    }
    String text = frame.getPayloadAsText(StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return;
    }
    Message message;
    try {
      message = codec.decode(text);
    } catch (ProtocolException e) {
      if (e.isUnknownType()) {
        log.debug("Ignoring message from engine: {}", e.getMessage());
      } else {
        log.warn("Dropping malformed message from engine: {}", e.getMessage());
      }
      return;
    }
    try {
      dispatch(from, message);
    } catch (RuntimeException e) {
      log.error("Failed to handle {} from engine", message.type(), e);
    }
  }

  private void dispatch(Session from, Message message) {
    if (message instanceof InvocationResult result) {
      onResult(result);
    } else if (message instanceof InvokeFunction invoke) {
      onInvoke(from, invoke);
    } else if (message instanceof WorkerRegistered registered) {
      workerId = registered.workerId();
      startMetricsReporting(from);
      log.debug("Registered with the engine as worker {}", registered.workerId());
      CompletableFuture<Void> connected;
      synchronized (lock) {
        connected = connectFuture;
      }
      callbackExecutor.execute(() -> connected.complete(null));
    } else if (message instanceof RegisterTrigger register) {
      onTriggerRegistration(from, register);
    } else if (message instanceof UnregisterTrigger unregister) {
      onTriggerUnregistration(unregister);
    } else if (message instanceof Ping) {
      from.emit(codec.encode(new Pong()));
    }
  }

  /** Reports the worker gauges on this connection, now and then at the configured interval. */
  private void startMetricsReporting(Session reportingSession) {
    if (!options.enableMetricsReporting()) {
      return;
    }
    synchronized (lock) {
      if (metricsTask != null) {
        metricsTask.cancel(false);
      }
      try {
        metricsTask =
            scheduler.scheduleAtFixedRate(
                () -> reportMetrics(reportingSession),
                0,
                options.metricsReportingInterval().toMillis(),
                TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        metricsTask = null;
      }
    }
  }

  private void reportMetrics(Session reportingSession) {
    String id = workerId;
    if (id == null || !reportingSession.open) {
      return;
    }
    try {
      reportingSession.emit(workerMetrics.frame(id, options.workerName()));
    } catch (RuntimeException e) {
      log.debug("Could not sample worker metrics", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Results of our calls

  private void onResult(InvocationResult result) {
    PendingCall call = pending.get(result.invocationId());
    if (call == null) {
      log.debug("Result for unknown or expired invocation {}", result.invocationId());
      return;
    }
    ErrorBody error = result.error();
    if (error != null) {
      failCall(
          call,
          new IIIException(
              error.code(), error.message(), call.functionId, error.stacktrace(), null));
    } else {
      completeCall(call, result.result());
    }
  }

  private void completeCall(PendingCall call, @Nullable JsonNode result) {
    if (pending.remove(call.invocationId, call)) {
      call.cancelTimeout();
      onCallbackThread(
          () -> {
            completeInterception(call.completion, null);
            call.future.complete(result);
          });
    }
  }

  private void failCall(PendingCall call, Throwable failure) {
    if (pending.remove(call.invocationId, call)) {
      call.cancelTimeout();
      onCallbackThread(
          () -> {
            completeInterception(call.completion, failure);
            call.future.completeExceptionally(failure);
          });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Call interception (InitOptions.callInterceptor)

  private static final Intercepted NOT_INTERCEPTED =
      new Intercepted(CallInterceptor.Completion.NONE, null, null);

  /** Runs the interceptor, if any, on the caller's thread. Never throws. */
  private Intercepted intercept(String functionId) {
    CallInterceptor interceptor = options.callInterceptor();
    if (interceptor == null) {
      return NOT_INTERCEPTED;
    }
    Map<String, String> carrier = new HashMap<>(4);
    try {
      CallInterceptor.Completion completion = interceptor.beforeCall(functionId, carrier);
      return new Intercepted(
          completion != null ? completion : CallInterceptor.Completion.NONE,
          carrier.get(CallInterceptor.TRACEPARENT),
          carrier.get(CallInterceptor.BAGGAGE));
    } catch (RuntimeException e) {
      log.warn("Call interceptor failed for {}; the call goes on", functionId, e);
      return NOT_INTERCEPTED;
    }
  }

  /** Ends an intercepted call on the callback thread. */
  private void endCall(CallInterceptor.Completion completion, @Nullable Throwable error) {
    if (completion != CallInterceptor.Completion.NONE) {
      onCallbackThread(() -> completeInterception(completion, error));
    }
  }

  private static void completeInterception(
      CallInterceptor.Completion completion, @Nullable Throwable error) {
    if (completion == CallInterceptor.Completion.NONE) {
      return;
    }
    try {
      completion.completed(error);
    } catch (RuntimeException e) {
      log.warn("Call interceptor completion failed", e);
    }
  }

  /** What the interceptor added to one call. */
  private record Intercepted(
      CallInterceptor.Completion completion,
      @Nullable String traceparent,
      @Nullable String baggage) {

    InvokeFunction message(@Nullable String invocationId, String functionId, JsonNode data) {
      return new InvokeFunction(invocationId, functionId, data, traceparent, baggage, null);
    }
  }

  /** User continuations run on SDK threads, never on a Netty event loop. */
  private void onCallbackThread(Runnable completion) {
    try {
      callbackExecutor.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Invocations of our functions

  private void onInvoke(Session from, InvokeFunction invoke) {
    LocalFunction function = handlers.get(invoke.functionId());
    if (function == null) {
      reply(
          from,
          invoke,
          null,
          new ErrorBody(
              IIIException.FUNCTION_NOT_FOUND, "Function '" + invoke.functionId() + "' not found"));
      return;
    }
    try {
      handlerExecutor.execute(() -> runHandler(from, function, invoke));
    } catch (RejectedExecutionException e) {
      reply(
          from,
          invoke,
          null,
          new ErrorBody(
              IIIException.INVOCATION_FAILED,
              "worker cannot run " + invoke.functionId() + " now: handler executor rejected it"));
    }
  }

  private void runHandler(Session from, LocalFunction function, InvokeFunction invoke) {
    Context context =
        Context.of(
            invoke.functionId(), invoke.invocationId(), invoke.traceparent(), invoke.baggage());
    Object output;
    MDC.put(ContextLogger.MDC_FUNCTION_ID, invoke.functionId());
    if (invoke.invocationId() != null) {
      MDC.put(ContextLogger.MDC_INVOCATION_ID, invoke.invocationId());
    }
    try {
      output = Context.with(context, () -> function.handle(invoke.data()));
    } catch (Throwable failure) {
      replyFailure(from, invoke, failure);
      return;
    } finally {
      MDC.remove(ContextLogger.MDC_FUNCTION_ID);
      MDC.remove(ContextLogger.MDC_INVOCATION_ID);
    }
    CompletionStage<?> stage = asStage(output);
    if (stage == null) {
      replySuccess(from, invoke, output);
    } else {
      stage.whenComplete(
          (value, failure) -> {
            if (failure != null) {
              replyFailure(from, invoke, failure);
            } else {
              replySuccess(from, invoke, value);
            }
          });
    }
  }

  private static @Nullable CompletionStage<?> asStage(@Nullable Object output) {
    if (output instanceof CompletionStage<?> stage) {
      return stage;
    }
    if (output instanceof Mono<?> mono) {
      return mono.toFuture();
    }
    return null;
  }

  private void replySuccess(Session from, InvokeFunction invoke, @Nullable Object value) {
    JsonNode result;
    try {
      result = value == null ? null : toNode(value);
    } catch (RuntimeException e) {
      replyFailure(
          from,
          invoke,
          new IIIException(
              IIIException.INVOCATION_FAILED,
              "result of "
                  + invoke.functionId()
                  + " cannot be written as JSON: "
                  + e.getMessage()));
      return;
    }
    reply(from, invoke, result, null);
  }

  private void replyFailure(Session from, InvokeFunction invoke, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof IIIException iii) {
      reply(from, invoke, null, new ErrorBody(iii.code(), iii.errorMessage(), stackTrace(cause)));
      return;
    }
    log.debug("Function {} failed", invoke.functionId(), cause);
    String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    reply(
        from,
        invoke,
        null,
        new ErrorBody(IIIException.INVOCATION_FAILED, message, stackTrace(cause)));
  }

  /**
   * Answers an invocation on the connection it came from. If that connection has dropped, the
   * engine has already ended the invocation, so the answer is dropped: a new connection's engine
   * session would not know the id.
   */
  private void reply(
      Session from, InvokeFunction invoke, @Nullable JsonNode result, @Nullable ErrorBody error) {
    String invocationId = invoke.invocationId();
    if (invocationId == null) {
      if (error != null) {
        log.warn("Fire-and-forget call to {} failed: {}", invoke.functionId(), error.message());
      }
      return;
    }
    InvocationResult message =
        new InvocationResult(
            invocationId,
            invoke.functionId(),
            result,
            error,
            invoke.traceparent(),
            invoke.baggage());
    if (!from.open || !from.emit(codec.encode(message))) {
      log.debug(
          "Dropped the result of {} ({}): its connection is gone",
          invoke.functionId(),
          invocationId);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Trigger types we provide

  private void onTriggerRegistration(Session from, RegisterTrigger register) {
    TriggerHandler handler = triggerHandlers.get(register.triggerType());
    if (handler == null) {
      sendTriggerResult(
          from, register, new ErrorBody("trigger_type_not_found", "Trigger type not found"));
      return;
    }
    TriggerConfig config =
        new TriggerConfig(register.id(), register.functionId(), toJava(register.config()));
    runOnHandlerExecutor(
        () -> {
          try {
            ArmedTrigger previous = armedTriggers.get(register.id());
            // After a reconnect the engine hands over the same triggers again: arm each once.
            if (previous == null || !previous.config().equals(config)) {
              if (previous != null) {
                previous.handler().unregisterTrigger(previous.config());
              }
              handler.registerTrigger(config);
              armedTriggers.put(register.id(), new ArmedTrigger(handler, config));
            }
            sendTriggerResult(from, register, null);
          } catch (Exception e) {
            log.warn(
                "Trigger type {} refused trigger {}: {}",
                register.triggerType(),
                register.id(),
                e.getMessage());
            sendTriggerResult(
                from,
                register,
                new ErrorBody("trigger_registration_failed", String.valueOf(e.getMessage())));
          }
        });
  }

  private void onTriggerUnregistration(UnregisterTrigger unregister) {
    ArmedTrigger armed = armedTriggers.remove(unregister.id());
    if (armed == null) {
      return;
    }
    runOnHandlerExecutor(
        () -> {
          try {
            armed.handler().unregisterTrigger(armed.config());
          } catch (Exception e) {
            log.warn("Failed to unregister trigger {}", unregister.id(), e);
          }
        });
  }

  private void sendTriggerResult(
      Session from, RegisterTrigger register, @Nullable ErrorBody error) {
    if (from.open) {
      from.emit(
          codec.encode(
              new TriggerRegistrationResult(
                  register.id(), register.triggerType(), register.functionId(), error)));
    }
  }

  private void runOnHandlerExecutor(Runnable task) {
    try {
      handlerExecutor.execute(task);
    } catch (RejectedExecutionException e) {
      log.warn("Handler executor rejected a trigger-type task; is the client shutting down?");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Called with the lock held. */
  private void sendIfConnected(Message message) {
    sendIfConnected(codec.encode(message), null);
  }

  /** Called with the lock held. */
  private boolean sendIfConnected(String json, @Nullable PendingCall call) {
    Session current = session;
    if (current == null || !current.open) {
      return false;
    }
    boolean sent = current.emit(json);
    if (sent && call != null) {
      call.sentOn = current;
    }
    return sent;
  }

  /** Called with the lock held. */
  private void enqueue(Queued queued) {
    if (options.maxQueueSize() == 0) {
      queued.fail(
          new IIIException(
              IIIException.QUEUE_OVERFLOW,
              "not connected and offline queue disabled",
              queued.functionId,
              null,
              null));
      return;
    }
    if (offlineQueue.size() >= options.maxQueueSize()) {
      Queued dropped = offlineQueue.removeFirst();
      log.warn(
          "Offline queue full ({} messages): dropped the oldest, a call to {}",
          options.maxQueueSize(),
          dropped.functionId);
      dropped.fail(
          new IIIException(
              IIIException.QUEUE_OVERFLOW,
              "dropped from the full offline queue while disconnected",
              dropped.functionId,
              null,
              null));
    }
    offlineQueue.addLast(queued);
  }

  /** Called with the lock held; listeners are told in order on the event thread. */
  private void setState(ConnectionState next) {
    if (state == next) {
      return;
    }
    state = next;
    long version = ++stateVersion;
    try {
      eventExecutor.execute(() -> stateListeners.forEach(l -> l.deliver(version, next)));
    } catch (RejectedExecutionException e) {
      // Shut down: nobody is listening any more.
    }
  }

  private ObjectNode metadata() {
    ObjectNode node = JSON.objectNode();
    node.put("runtime", "java");
    node.put("version", SdkVersion.get());
    node.put("name", options.workerName());
    node.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")");
    node.put("pid", ProcessHandle.current().pid());
    ObjectNode telemetry = node.putObject("telemetry");
    TelemetryOptions t = options.telemetry();
    telemetry.put(
        "language", t.language() != null ? t.language() : Locale.getDefault().toLanguageTag());
    telemetry.put("project_name", t.projectName());
    telemetry.put("framework", t.framework());
    return node;
  }

  private void releaseThreads() {
    scheduler.shutdown();
    eventExecutor.shutdown();
    callbackExecutor.shutdown();
    if (ownedHandlerExecutor != null) {
      ownedHandlerExecutor.shutdown();
    }
    shutdownFuture.complete(null);
  }

  private JsonNode toNode(@Nullable Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof JsonNode node) {
      return node;
    }
    JsonNode node = mapper.valueToTree(value);
    return node == null ? NullNode.getInstance() : node;
  }

  private @Nullable Object toJava(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return mapper.treeToValue(node, Object.class);
  }

  private <T> List<T> readList(@Nullable JsonNode result, String field, Class<T> type) {
    JsonNode list = result == null ? null : result.get(field);
    if (list == null || !list.isArray()) {
      return List.of();
    }
    JavaType listType = codec.mapper().getTypeFactory().constructCollectionType(List.class, type);
    return List.copyOf(codec.mapper().<List<T>>treeToValue(list, listType));
  }

  private static void checkSize(String functionId, String json) {
    if (json.length() > MAX_OUTBOUND_BYTES / 3
        && json.getBytes(StandardCharsets.UTF_8).length > MAX_OUTBOUND_BYTES) {
      throw new IIIException(
          IIIException.PAYLOAD_TOO_LARGE,
          "the call's data exceeds the engine's 16 MiB message limit",
          functionId,
          null,
          null);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String stackTrace(Throwable failure) {
    StringWriter out = new StringWriter();
    failure.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

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
          "engine address must be a ws:// or wss:// URL: " + address);
    }
    return uri;
  }

  @Override
  public String toString() {
    return "III[" + address + ", " + state + (workerId == null ? "" : ", worker " + workerId) + "]";
  }

  /** A registered function as the dispatcher sees it: raw JSON in. */
  @FunctionalInterface
  private interface LocalFunction {
    @Nullable Object handle(JsonNode data) throws Exception;
  }

  /** One WebSocket connection attempt and, once open, its outbound queue. */
  private static final class Session {

    /** Text frames as {@code String}, binary frames as {@code byte[]}. */
    final Sinks.Many<Object> outbound = Sinks.many().unicast().onBackpressureBuffer();

    volatile boolean open;
    volatile @Nullable WebSocketSession webSocket;
    volatile @Nullable Disposable disposable;

    synchronized boolean emit(Object frame) {
      return outbound.tryEmitNext(frame).isSuccess();
    }

    synchronized void complete() {
      outbound.tryEmitComplete();
    }

    /** Closes with a normal Close frame; completes when the socket is closed. */
    Mono<Void> close() {
      open = false;
      WebSocketSession ws = webSocket;
      complete();
      Disposable running = disposable;
      if (ws == null) {
        if (running != null) {
          running.dispose();
        }
        return Mono.empty();
      }
      return ws.close(CloseStatus.NORMAL).then(ws.closeStatus()).then();
    }
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

  /** A trigger a {@link TriggerHandler} of ours has armed. */
  private record ArmedTrigger(TriggerHandler handler, TriggerConfig config) {}

  /** A state listener, told each state change once and in order. */
  private static final class StateListener {

    private final Consumer<ConnectionState> consumer;
    private long seen = -1;

    StateListener(Consumer<ConnectionState> consumer) {
      this.consumer = consumer;
    }

    synchronized void deliver(long version, ConnectionState next) {
      if (version <= seen) {
        return;
      }
      seen = version;
      try {
        consumer.accept(next);
      } catch (RuntimeException e) {
        log.warn("Connection state listener failed", e);
      }
    }
  }

  /** A call waiting for its result. */
  private static final class PendingCall {

    final String invocationId;
    final String functionId;
    final CallInterceptor.Completion completion;
    final CompletableFuture<@Nullable JsonNode> future = new CompletableFuture<>();
    volatile @Nullable Session sentOn;
    volatile @Nullable ScheduledFuture<?> timeoutTask;

    PendingCall(String invocationId, String functionId, CallInterceptor.Completion completion) {
      this.invocationId = invocationId;
      this.functionId = functionId;
      this.completion = completion;
    }

    void cancelTimeout() {
      ScheduledFuture<?> task = timeoutTask;
      if (task != null) {
        task.cancel(false);
      }
    }
  }

  /** A message waiting for a connection. */
  private final class Queued {

    final String json;
    final @Nullable PendingCall call;
    final String functionId;

    Queued(String json, @Nullable PendingCall call, String functionId) {
      this.json = json;
      this.call = call;
      this.functionId = functionId;
    }

    void fail(IIIException failure) {
      if (call != null) {
        failCall(call, failure);
      } else {
        log.warn("Fire-and-forget call to {} not sent: {}", functionId, failure.getMessage());
      }
    }
  }
}
