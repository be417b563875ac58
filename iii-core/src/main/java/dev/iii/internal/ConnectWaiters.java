package dev.iii.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The futures of {@code connect()} calls waiting for the worker to be registered. Owned by the
 * connection's actor (every method runs there); the futures complete on callback threads, never on
 * the actor, so that user stages never run there.
 */
final class ConnectWaiters {

  private final Executor callbackExecutor;
  private final List<CompletableFuture<Void>> waiting = new ArrayList<>();

  ConnectWaiters(Executor callbackExecutor) {
    this.callbackExecutor = callbackExecutor;
  }

  void add(CompletableFuture<Void> waiter) {
    waiting.add(waiter);
  }

  /** Completes every waiter: normally when {@code failure} is {@code null}. */
  void completeAll(@Nullable Throwable failure) {
    List<CompletableFuture<Void>> waiters = new ArrayList<>(waiting);
    waiting.clear();
    waiters.forEach(waiter -> completeLater(waiter, failure));
  }

  /** Completes one future on a callback thread. */
  void completeLater(CompletableFuture<Void> future, @Nullable Throwable failure) {
    Runnable complete =
        () -> {
          if (failure == null) {
            future.complete(null);
          } else {
            future.completeExceptionally(failure);
          }
        };
    try {
      callbackExecutor.execute(complete);
    } catch (RejectedExecutionException e) {
      complete.run();
    }
  }
}
