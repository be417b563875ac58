package dev.iii.internal;

import dev.iii.protocol.InvocationAction;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.MessageCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Outgoing calls (OkHttp's call, in short): intercepted, encoded once on the caller's thread,
 * recorded in {@link PendingCalls}, then handed to the {@link EngineEndpoint}. Never blocks.
 * Stateless; thread-safe.
 */
public final class Calls {

  private final MessageCodec codec = MessageCodec.instance();
  private final Payloads payloads;
  private final PendingCalls pendingCalls;
  private final EngineEndpoint endpoint;
  private final CallInterception interception;
  private final Executor callbackExecutor;

  public Calls(
      Payloads payloads,
      PendingCalls pendingCalls,
      EngineEndpoint endpoint,
      CallInterception interception,
      Executor callbackExecutor) {
    this.payloads = payloads;
    this.pendingCalls = pendingCalls;
    this.endpoint = endpoint;
    this.interception = interception;
    this.callbackExecutor = callbackExecutor;
  }

  /** Sends one call; its result is read by {@code reader} on a callback thread. */
  public <T> CompletableFuture<@Nullable T> call(
      String functionId,
      @Nullable Object data,
      Duration timeout,
      PendingCall.ResultReader<T> reader) {
    return call(functionId, data, null, null, timeout, reader);
  }

  /**
   * Sends one call with per-invocation metadata and an action ({@code enqueue}: the engine answers
   * with the receipt); its result is read by {@code reader} on a callback thread.
   */
  public <T> CompletableFuture<@Nullable T> call(
      String functionId,
      @Nullable Object data,
      @Nullable Object metadata,
      @Nullable InvocationAction action,
      Duration timeout,
      PendingCall.ResultReader<T> reader) {
    CallInterception.Intercepted intercepted = interception.intercept(functionId);
    String invocationId = InvocationIds.random();
    byte[] frame;
    try {
      frame = encode(invocationId, functionId, data, metadata, action, intercepted);
    } catch (RuntimeException e) {
      CompletableFuture<@Nullable T> failed = new CompletableFuture<>();
      onCallbackThread(
          () -> {
            CallInterception.complete(intercepted.completion(), e);
            failed.completeExceptionally(e);
          });
      return failed;
    }
    PendingCall<T> call =
        pendingCalls.add(invocationId, functionId, timeout, intercepted.completion(), reader);
    endpoint.send(frame, call, functionId);
    return call.future();
  }

  /**
   * Sends a call without a result; queued while disconnected.
   *
   * @throws dev.iii.IIIException code {@code shutdown}, {@code connection_failed} or {@code
   *     payload_too_large}
   */
  public void callVoid(String functionId, @Nullable Object data, @Nullable Object metadata) {
    CallInterception.Intercepted intercepted = interception.intercept(functionId);
    try {
      endpoint.send(encode(null, functionId, data, metadata, null, intercepted), null, functionId);
    } catch (RuntimeException e) {
      end(intercepted, e);
      throw e;
    }
    end(intercepted, null);
  }

  private byte[] encode(
      @Nullable String invocationId,
      String functionId,
      @Nullable Object data,
      @Nullable Object metadata,
      @Nullable InvocationAction action,
      CallInterception.Intercepted intercepted) {
    byte[] frame =
        codec.encodeToBytes(
            new InvokeFunction(
                invocationId,
                functionId,
                payloads.write(data),
                intercepted.traceparent(),
                intercepted.baggage(),
                action,
                metadata == null ? null : payloads.write(metadata),
                null));
    Payloads.checkFrameSize(functionId, frame, "the call's data");
    return frame;
  }

  private void end(CallInterception.Intercepted intercepted, @Nullable Throwable error) {
    if (intercepted.completion() != dev.iii.CallInterceptor.Completion.NONE) {
      onCallbackThread(() -> CallInterception.complete(intercepted.completion(), error));
    }
  }

  private void onCallbackThread(Runnable task) {
    try {
      callbackExecutor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // shut down: completing here beats never completing
    }
  }
}
