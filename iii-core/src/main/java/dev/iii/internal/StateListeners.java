package dev.iii.internal;

import dev.iii.ConnectionState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's state and its listeners. Each listener has its own serial executor on the
 * callback pool: it is told every state once and in order, and a slow listener holds up only
 * itself. No lock: states carry a version, and a state posted after a newer one (a late
 * subscriber's first) is skipped. The state is written by the connection's actor only and read
 * anywhere (volatile).
 */
final class StateListeners {

  private static final Logger log = LoggerFactory.getLogger(StateListeners.class);

  /** A state and how many changes led to it, read and written together. */
  record Snapshot(long version, ConnectionState state) {}

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Executor callbackExecutor;
  private volatile Snapshot snapshot = new Snapshot(0, ConnectionState.DISCONNECTED);

  StateListeners(Executor callbackExecutor) {
    this.callbackExecutor = callbackExecutor;
  }

  /**
   * Adds a listener and tells it the current state at once, on this thread unless a delivery to it
   * is under way.
   *
   * @return removes the listener
   */
  Runnable add(Consumer<ConnectionState> consumer) {
    Listener listener = new Listener(consumer, callbackExecutor);
    listeners.add(listener);
    Snapshot now = snapshot;
    listener.executor.executeHere(() -> listener.deliver(now.version(), now.state()));
    return () -> listeners.remove(listener);
  }

  /** The state now. */
  ConnectionState state() {
    return snapshot.state();
  }

  /** On the connection's actor: a new state, told to every listener (unless it is no change). */
  void set(ConnectionState next) {
    Snapshot previous = snapshot;
    if (previous.state() == next) {
      return;
    }
    Snapshot now = new Snapshot(previous.version() + 1, next);
    snapshot = now;
    for (Listener listener : listeners) {
      listener.executor.execute(() -> listener.deliver(now.version(), now.state()));
    }
  }

  /** One listener and the executor that serialises what it is told. */
  private static final class Listener {

    private final Consumer<ConnectionState> consumer;
    private final SerialExecutor executor;

    /** Only touched by {@link #executor}'s tasks, which run one at a time. */
    private long seen = -1;

    Listener(Consumer<ConnectionState> consumer, Executor callbackExecutor) {
      this.consumer = consumer;
      this.executor = new SerialExecutor(callbackExecutor);
    }

    void deliver(long version, ConnectionState next) {
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
}
