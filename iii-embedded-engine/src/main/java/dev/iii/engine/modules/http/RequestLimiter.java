package dev.iii.engine.modules.http;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Serves at most {@code limit} requests at once; the others wait, in arrival order, without holding
 * a thread. A waiting request that goes away (the client disconnected) leaves the queue.
 */
final class RequestLimiter {

  /** One slot, given back exactly once however the request ends. */
  private final class Permit {
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true)) {
        next();
      }
    }
  }

  private final int limit;
  private final ArrayDeque<MonoSink<Permit>> waiting = new ArrayDeque<>();
  private int active;

  RequestLimiter(int limit) {
    this.limit = limit;
  }

  /** Runs {@code work} once a slot is free and frees the slot when it ends (or is cancelled). */
  <T> Mono<T> run(Supplier<Mono<T>> work) {
    return Mono.usingWhen(
        // A slot handed to a waiter that has just gone away is discarded: give it back.
        Mono.create(this::acquire).doOnDiscard(Permit.class, Permit::release),
        permit -> work.get(),
        permit -> Mono.fromRunnable(permit::release));
  }

  /** Requests being served now. */
  synchronized int active() {
    return active;
  }

  private void acquire(MonoSink<Permit> sink) {
    sink.onCancel(
        () -> {
          synchronized (this) {
            waiting.remove(sink);
          }
        });
    Permit permit = null;
    synchronized (this) {
      if (active < limit) {
        active++;
        permit = new Permit();
      } else {
        waiting.add(sink);
      }
    }
    if (permit != null) {
      sink.success(permit);
    }
  }

  /** Hands a freed slot to the oldest waiter, or returns it. */
  private void next() {
    MonoSink<Permit> sink;
    synchronized (this) {
      sink = waiting.poll();
      if (sink == null) {
        active--;
        return;
      }
    }
    Permit permit = new Permit();
    sink.success(permit);
  }
}
