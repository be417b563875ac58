package dev.iii;

import dev.iii.channel.Channel;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.WorkerInfo;
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
  FunctionRef registerFunction(
      String id,
      FunctionHandler handler,
      @Nullable String description,
      @Nullable Map<String, ?> metadata);

  /**
   * Registers a function whose input is converted to {@code inputType} first (by the client's
   * {@code JsonMapper}); fields of type {@link dev.iii.channel.ChannelReader} and {@link
   * dev.iii.channel.ChannelWriter} are read from channel refs, so {@code ApiRequest.class} works
   * for HTTP triggers.
   */
  <T> FunctionRef registerFunction(String id, Class<T> inputType, TypedFunctionHandler<T> handler);

  /**
   * Registers a function the engine runs by calling an HTTP endpoint (see {@link
   * HttpInvocationConfig}); this worker never handles its invocations. Like other functions, it is
   * registered again after a reconnect and removed with {@link FunctionRef#unregister()}.
   *
   * @param description shown in function listings
   */
  FunctionRef registerFunction(
      String id, HttpInvocationConfig config, @Nullable String description);

  /** Registers a function the engine runs by calling an HTTP endpoint, without description. */
  default FunctionRef registerFunction(String id, HttpInvocationConfig config) {
    return registerFunction(id, config, null);
  }

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
   * Binds a function to a trigger.
   *
   * @param type the trigger type, e.g. {@code http}, {@code cron} or a custom type
   * @param config the type's configuration, e.g. {@code {"api_path": "/hello", "http_method":
   *     "GET"}}
   */
  Trigger registerTrigger(String type, String functionId, @Nullable Object config);

  /**
   * Provides a custom trigger type: the engine hands every trigger of the type to {@code handler}.
   */
  void registerTriggerType(String id, String description, TriggerHandler handler);

  /** Stops providing a trigger type. */
  void unregisterTriggerType(String id);

  /** Declares a service that groups functions. */
  void registerService(String id, @Nullable String description, @Nullable String parentId);

  /** Every function registered with the engine (without the engine's own). */
  CompletableFuture<List<FunctionInfo>> listFunctions();

  /** Every worker connected to the engine. */
  CompletableFuture<List<WorkerInfo>> listWorkers();

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
}
