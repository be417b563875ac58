package dev.iii;

import dev.iii.channel.Channel;
import dev.iii.protocol.FunctionDetail;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.WorkerDetail;
import dev.iii.protocol.WorkerInfo;
import dev.iii.state.State;
import dev.iii.stream.Streams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A worker's connection to an iii engine: register functions and triggers others can use, and call
 * any function registered with the engine. Names follow the reference SDK ({@code call}, {@code
 * callVoid}, {@code registerFunction}…).
 *
 * <p>Registrations may be made before or after {@link #connect()}; they are sent when connected and
 * sent again after every reconnect. Every returned future completes, with a result or an {@link
 * IIIException}; futures complete on an SDK thread, never on a network thread.
 */
public interface IIIClient extends AutoCloseable {

  /**
   * Connects to the engine.
   *
   * @return completes once connected and registered with the engine ({@link #workerId()} is then
   *     set); fails when reconnection gives up or the client is shut down first
   */
  CompletableFuture<Void> connect();

  /**
   * Disconnects for good, at once: invocations of this worker's functions that have not started are
   * answered {@code unavailable}, pending calls fail with code {@code shutdown}, then the
   * connection closes. Idempotent.
   */
  CompletableFuture<Void> shutdown();

  /**
   * Disconnects for good, gracefully: new invocations are answered {@code unavailable}, those
   * running or waiting get up to {@code drainTimeout} to finish and answer, then {@link
   * #shutdown()} follows. Idempotent (the first call's timeout applies).
   *
   * @return completes when the connection has closed
   */
  CompletableFuture<Void> shutdown(Duration drainTimeout);

  /** {@link #shutdown()} and wait for it (bounded). */
  @Override
  void close();

  /**
   * Blocks the calling thread until the client has shut down: what a plain {@code main} worker
   * calls last, so that it keeps running (the client's own threads are daemons). Installs a JVM
   * shutdown hook, so that SIGTERM (or {@code System.exit}) shuts the client down gracefully with
   * {@link InitOptions#shutdownTimeout()} to drain.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void awaitShutdown() throws InterruptedException;

  /** What this worker's functions are doing now: running, waiting, refused. */
  InvocationStats invocationStats();

  /** The id the engine gave this worker on the current connection. */
  Optional<String> workerId();

  /** The state of the connection to the engine now. */
  ConnectionState getConnectionState();

  /**
   * Why the connection is {@link ConnectionState#FAILED}: the engine's refusal (its code, e.g.
   * {@code AUTH_ERROR} or {@code WORKER_NAMESPACE_CONFLICT}, and reason) or {@code
   * connection_failed} when reconnection gave up. Empty until the connection fails; a later {@link
   * #connect()} clears it. The official SDKs' {@code getFatalError()}.
   */
  Optional<IIIException> fatalError();

  /**
   * Subscribes to connection state changes. The listener is told the current state first, then
   * every change, one at a time and in order, on an SDK thread of its own (a slow listener holds up
   * only itself).
   *
   * @return unsubscribes
   */
  Runnable onConnectionStateChange(Consumer<ConnectionState> listener);

  /**
   * Registers a function this worker handles. Channel refs ({@code {channel_id, access_key,
   * direction}}) anywhere in the input arrive as live {@link dev.iii.channel.ChannelReader}s and
   * {@link dev.iii.channel.ChannelWriter}s.
   */
  FunctionRef registerFunction(String id, FunctionHandler handler);

  /**
   * Registers a function this worker handles.
   *
   * @param description shown in function listings
   * @param metadata free-form metadata, shown in function listings
   */
  default FunctionRef registerFunction(
      String id,
      FunctionHandler handler,
      @Nullable String description,
      @Nullable Map<String, ?> metadata) {
    return registerFunction(
        id,
        handler,
        RegisterFunctionOptions.builder().description(description).metadata(metadata).build());
  }

  /**
   * Registers a function this worker handles, with a description, the JSON Schemas of its input and
   * output, and metadata (the official SDKs' {@code registerFunction(id, handler, options)}).
   */
  FunctionRef registerFunction(String id, FunctionHandler handler, RegisterFunctionOptions options);

  /**
   * Registers a function whose input is converted to {@code inputType} first (by the client's
   * {@code JsonMapper}); fields of type {@link dev.iii.channel.ChannelReader} and {@link
   * dev.iii.channel.ChannelWriter} are read from channel refs, so {@code ApiRequest.class} works
   * for HTTP triggers. The function is registered with the JSON Schema of {@code inputType} as its
   * {@code request_format} (made by {@link dev.iii.schema.JsonSchemas} with the client's mapper;
   * none for types that accept any value, such as {@code Object}).
   */
  default <T> FunctionRef registerFunction(
      String id, Class<T> inputType, TypedFunctionHandler<T> handler) {
    return registerFunction(id, inputType, handler, RegisterFunctionOptions.NONE);
  }

  /**
   * Registers a function whose input is converted to {@code inputType}, with options. Unless the
   * options set a {@link RegisterFunctionOptions#requestFormat() requestFormat}, the JSON Schema of
   * {@code inputType} is sent as the function's {@code request_format}, as by {@link
   * #registerFunction(String, Class, TypedFunctionHandler)}.
   */
  <T> FunctionRef registerFunction(
      String id,
      Class<T> inputType,
      TypedFunctionHandler<T> handler,
      RegisterFunctionOptions options);

  /**
   * Registers a function the engine runs by calling an HTTP endpoint (see {@link
   * HttpInvocationConfig}); this worker never handles its invocations. Like other functions, it is
   * registered again after a reconnect and removed with {@link FunctionRef#unregister()}.
   *
   * @param description shown in function listings
   */
  default FunctionRef registerFunction(
      String id, HttpInvocationConfig config, @Nullable String description) {
    return registerFunction(
        id, config, RegisterFunctionOptions.builder().description(description).build());
  }

  /** Registers a function the engine runs by calling an HTTP endpoint, without description. */
  default FunctionRef registerFunction(String id, HttpInvocationConfig config) {
    return registerFunction(id, config, RegisterFunctionOptions.NONE);
  }

  /** Registers a function the engine runs by calling an HTTP endpoint, with options. */
  FunctionRef registerFunction(
      String id, HttpInvocationConfig config, RegisterFunctionOptions options);

  /**
   * Calls a function and waits for its result, for at most the client's invocation timeout.
   *
   * @param data the input: anything Jackson can write
   * @return the result as plain Java values ({@code Map}, {@code List}, {@code String}…), or {@code
   *     null}
   */
  CompletableFuture<@Nullable Object> call(String functionId, @Nullable Object data);

  /** Calls a function and waits for its result for at most {@code timeout}. */
  CompletableFuture<@Nullable Object> call(
      String functionId, @Nullable Object data, Duration timeout);

  /** Calls a function and converts its result to {@code resultType}. */
  <T> CompletableFuture<@Nullable T> call(
      String functionId, @Nullable Object data, Class<T> resultType);

  /** Calls a function and converts its result to {@code resultType}, waiting at most timeout. */
  <T> CompletableFuture<@Nullable T> call(
      String functionId, @Nullable Object data, Class<T> resultType, Duration timeout);

  /**
   * Invokes a function without waiting for, or receiving, any result (fire-and-forget). Queued
   * while disconnected.
   *
   * @throws IIIException code {@code shutdown} after {@link #shutdown()}, {@code connection_failed}
   *     once reconnection gave up
   */
  void callVoid(String functionId, @Nullable Object data);

  /** Alias of {@link #call(String, Object)}. */
  default CompletableFuture<@Nullable Object> trigger(String functionId, @Nullable Object data) {
    return call(functionId, data);
  }

  /** Alias of {@link #callVoid(String, Object)}. */
  default void triggerVoid(String functionId, @Nullable Object data) {
    callVoid(functionId, data);
  }

  /**
   * Calls a function as the official SDKs' {@code trigger(request)} do: with per-invocation
   * metadata, a timeout of its own, and an action. Without an action the future completes with the
   * result as plain Java values; with {@link TriggerAction#VOID} it completes with {@code null}
   * once the call is sent or queued; with {@link TriggerAction#enqueue(String)} it completes with
   * the engine's receipt (read it as {@link EnqueueResult} with {@link #trigger(TriggerRequest,
   * Class)}) or fails with code {@code enqueue_error}.
   */
  CompletableFuture<@Nullable Object> trigger(TriggerRequest request);

  /** {@link #trigger(TriggerRequest)}, with the result converted to {@code resultType}. */
  <T> CompletableFuture<@Nullable T> trigger(TriggerRequest request, Class<T> resultType);

  /**
   * Binds a function to a trigger.
   *
   * @param type the trigger type, e.g. {@code http}, {@code cron} or a custom type
   * @param config the type's configuration, e.g. {@code {"api_path": "/hello", "http_method":
   *     "GET"}}
   */
  default Trigger registerTrigger(String type, String functionId, @Nullable Object config) {
    return registerTrigger(type, functionId, config, null);
  }

  /**
   * Binds a function to a trigger, with metadata the engine delivers to the function at every fire
   * ({@link Context#metadata()}) and hands to the trigger type's provider ({@link
   * TriggerConfig#metadata()}). {@link Trigger#status()} tells if the engine refuses it.
   */
  Trigger registerTrigger(
      String type, String functionId, @Nullable Object config, @Nullable Map<String, ?> metadata);

  /**
   * Provides a custom trigger type: the engine hands every trigger of the type to {@code handler}.
   *
   * @return binds functions to the type, and stops providing it
   */
  default TriggerTypeRef registerTriggerType(
      String id, String description, TriggerHandler handler) {
    return registerTriggerType(id, description, handler, RegisterTriggerTypeOptions.NONE);
  }

  /** Provides a custom trigger type, with the JSON Schemas of its configuration and calls. */
  TriggerTypeRef registerTriggerType(
      String id, String description, TriggerHandler handler, RegisterTriggerTypeOptions options);

  /** Stops providing a trigger type. */
  void unregisterTriggerType(String id);

  /** Declares a service that groups functions. */
  void registerService(String id, @Nullable String description, @Nullable String parentId);

  /** Every function registered with the engine (without the engine's own). */
  CompletableFuture<List<FunctionInfo>> listFunctions();

  /** Every worker connected to the engine. */
  CompletableFuture<List<WorkerInfo>> listWorkers();

  /**
   * One function in detail ({@code engine::functions::info}, engine 0.22+): its schemas, owner and
   * triggers.
   *
   * @return fails with code {@code NOT_FOUND} for an unknown function
   */
  CompletableFuture<FunctionDetail> functionInfo(String functionId);

  /**
   * One connected worker in detail ({@code engine::workers::info}, engine 0.22+): its row (with
   * {@code pid} and latest metrics), functions, trigger types and triggers.
   *
   * @param name the worker's name (the engine looks workers up by name, not id)
   * @return fails with code {@code NOT_FOUND} when no worker of that name is connected
   */
  CompletableFuture<WorkerDetail> workerInfo(String name);

  /**
   * Creates a channel with the engine's default buffer (64 messages): a stream of bytes and text
   * messages from its {@link Channel#writer() writer} to its {@link Channel#reader() reader}.
   * Either end, or its ref, can be passed in call data to another function, in any language.
   *
   * @return completes with the channel (no socket is open until an end is used)
   */
  CompletableFuture<Channel> createChannel();

  /**
   * Creates a channel whose engine buffer holds {@code bufferSize} messages (frames), at most 1024.
   *
   * @throws IllegalArgumentException when {@code bufferSize} is below 1
   */
  CompletableFuture<Channel> createChannel(int bufferSize);

  /**
   * Subscribes to changes of the set of functions; the callback receives the whole new list.
   *
   * @return unsubscribes
   */
  Runnable onFunctionsAvailable(Consumer<List<FunctionInfo>> callback);

  /**
   * Publishes an event to a topic (the engine's {@code publish} function, {@code iii-pubsub}): the
   * engine calls every function bound to a {@code subscribe} trigger of exactly this topic with
   * {@code data} as it is, and answers without waiting for them (fire and forget: a subscriber's
   * failure does not reach the publisher).
   *
   * @param data the event: anything Jackson can write; {@code null} is sent as JSON null
   * @return completes once the engine has handed the event to the subscribers; fails with {@link
   *     IIIException} code {@code topic_not_set} for an empty topic, or as a call fails
   */
  CompletableFuture<Void> publish(String topic, @Nullable Object data);

  /** Typed access to the engine's streams ({@code stream::*} functions). */
  default Streams streams() {
    return new Streams(this);
  }

  /**
   * Typed access to the engine's key-value state ({@code state::*} functions, {@code iii-state}).
   */
  default State state() {
    return new State(this);
  }
}
