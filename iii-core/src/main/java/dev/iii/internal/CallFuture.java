package dev.iii.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The future a call returns. It remembers whether the caller chained a stage that runs on the
 * completing thread ({@code thenApply}, {@code whenComplete}…), because such a stage is user code
 * that may block: the client then completes this future apart from others that arrived with it (see
 * {@link PendingCalls}). Stages derived from it are plain {@link CompletableFuture}s.
 */
public final class CallFuture<T> extends CompletableFuture<T> {

  private volatile boolean userStages;

  /** Whether a stage that runs on the completing thread was chained to this future. */
  boolean hasUserStages() {
    return userStages;
  }

  private void chained() {
    if (!userStages) {
      userStages = true;
    }
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  @Override
  public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
    chained();
    return super.thenApply(fn);
  }

  @Override
  public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
    chained();
    return super.thenAccept(action);
  }

  @Override
  public CompletableFuture<Void> thenRun(Runnable action) {
    chained();
    return super.thenRun(action);
  }

  @Override
  public <U, V> CompletableFuture<V> thenCombine(
      CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn) {
    chained();
    return super.thenCombine(other, fn);
  }

  @Override
  public <U> CompletableFuture<Void> thenAcceptBoth(
      CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action) {
    chained();
    return super.thenAcceptBoth(other, action);
  }

  @Override
  public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
    chained();
    return super.runAfterBoth(other, action);
  }

  @Override
  public <U> CompletableFuture<U> applyToEither(
      CompletionStage<? extends T> other, Function<? super T, U> fn) {
    chained();
    return super.applyToEither(other, fn);
  }

  @Override
  public CompletableFuture<Void> acceptEither(
      CompletionStage<? extends T> other, Consumer<? super T> action) {
    chained();
    return super.acceptEither(other, action);
  }

  @Override
  public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
    chained();
    return super.runAfterEither(other, action);
  }

  @Override
  public <U> CompletableFuture<U> thenCompose(
      Function<? super T, ? extends CompletionStage<U>> fn) {
    chained();
    return super.thenCompose(fn);
  }

  @Override
  public CompletableFuture<T> whenComplete(
      BiConsumer<? super T, ? super @Nullable Throwable> action) {
    chained();
    return super.whenComplete(action);
  }

  @Override
  public <U> CompletableFuture<U> handle(
      BiFunction<? super T, @Nullable Throwable, ? extends U> fn) {
    chained();
    return super.handle(fn);
  }

  @Override
  public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
    chained();
    return super.exceptionally(fn);
  }

  @Override
  public CompletableFuture<T> exceptionallyCompose(
      Function<Throwable, ? extends CompletionStage<T>> fn) {
    chained();
    return super.exceptionallyCompose(fn);
  }
}
