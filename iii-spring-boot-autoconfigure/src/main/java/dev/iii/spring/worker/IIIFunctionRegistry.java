package dev.iii.spring.worker;

import dev.iii.FunctionRef;
import dev.iii.IIIClient;
import dev.iii.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Registers the {@link IIIFunctionEndpoint}s with the client when the application starts and
 * removes them, draining running invocations, when it stops. The client replays registrations on
 * every reconnect by itself, so this class registers each endpoint once per start.
 *
 * <p>It starts late (phase {@link #PHASE}, after the client connected and the web server started)
 * and stops early, while the client is still connected, so results of draining invocations still
 * reach their callers. With {@code enabled = false} (a client-only application), endpoints are
 * collected and validated but never registered.
 */
public class IIIFunctionRegistry implements SmartLifecycle, IIIRegisteredFunctions {

  /** Spring Kafka's listener container phase: after the web server starts, before it stops. */
  public static final int PHASE = Integer.MAX_VALUE - 100;

  private static final Logger log = LoggerFactory.getLogger(IIIFunctionRegistry.class);

  private enum State {
    STOPPED,
    RUNNING,
    DRAINING
  }

  private final IIIClient client;
  private final boolean enabled;
  private final Duration shutdownTimeout;
  private final IIIInvocationObserver observer;
  private final Object lock = new Object();
  private final Map<String, IIIFunctionEndpoint> endpoints = new LinkedHashMap<>();
  private final Map<String, Registration> registrations = new LinkedHashMap<>();
  private State state = State.STOPPED;
  private int inFlight;

  /** Handed to every invoker; counts under the lock so stopping sees a consistent state. */
  private final InFlightTracker tracker =
      new InFlightTracker() {
        @Override
        public boolean tryEnter() {
          synchronized (lock) {
            if (state != State.RUNNING) {
              return false;
            }
            inFlight++;
            return true;
          }
        }

        @Override
        public void exit() {
          synchronized (lock) {
            inFlight--;
            if (inFlight == 0) {
              lock.notifyAll();
            }
          }
        }
      };

  /**
   * @param client the client to register the functions with
   * @param enabled whether to register at all ({@code iii.worker.enabled})
   * @param shutdownTimeout how long stopping waits for running invocations
   */
  public IIIFunctionRegistry(IIIClient client, boolean enabled, Duration shutdownTimeout) {
    this(client, enabled, shutdownTimeout, endpoint -> outcome -> {});
  }

  /**
   * @param client the client to register the functions with
   * @param enabled whether to register at all ({@code iii.worker.enabled})
   * @param shutdownTimeout how long stopping waits for running invocations
   * @param observer told about every invocation (metrics)
   */
  public IIIFunctionRegistry(
      IIIClient client, boolean enabled, Duration shutdownTimeout, IIIInvocationObserver observer) {
    this.client = Objects.requireNonNull(client, "client");
    this.enabled = enabled;
    this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * Adds an endpoint; it is registered with the client at start, or at once if already started.
   *
   * @throws IllegalStateException if another endpoint has the same id
   */
  public void register(IIIFunctionEndpoint endpoint) {
    synchronized (lock) {
      IIIFunctionEndpoint existing = endpoints.putIfAbsent(endpoint.id(), endpoint);
      if (existing != null) {
        throw new IllegalStateException(
            "Duplicate @IIIFunction id '"
                + endpoint.id()
                + "': declared by "
                + existing.source()
                + " and "
                + endpoint.source());
      }
      if (state == State.RUNNING) {
        registerWithClient(endpoint);
      }
    }
  }

  /** All endpoints, registered or not, in discovery order. */
  public List<IIIFunctionEndpoint> getEndpoints() {
    synchronized (lock) {
      return List.copyOf(endpoints.values());
    }
  }

  /** How many functions are registered with the client now. */
  @Override
  public int registeredFunctionCount() {
    synchronized (lock) {
      return registrations.size();
    }
  }

  /** How many invocations are running, including asynchronous results not yet complete. */
  public int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  /** Whether registration is switched on ({@code iii.worker.enabled}). */
  public boolean isEnabled() {
    return enabled;
  }

  @Override
  public void start() {
    synchronized (lock) {
      if (state != State.STOPPED) {
        return;
      }
      state = State.RUNNING;
      endpoints.values().forEach(this::registerWithClient);
    }
  }

  private void registerWithClient(IIIFunctionEndpoint endpoint) {
    if (!enabled) {
      return;
    }
    FunctionRef function =
        client.registerFunction(
            endpoint.id(),
            new IIIFunctionInvoker(endpoint, client, tracker, observer),
            endpoint.description().isEmpty() ? null : endpoint.description(),
            null);
    List<Trigger> triggers = new ArrayList<>();
    for (TriggerDefinition definition : endpoint.triggers()) {
      triggers.add(client.registerTrigger(definition.type(), endpoint.id(), definition.config()));
    }
    registrations.put(endpoint.id(), new Registration(function, triggers));
  }

  @Override
  public void stop() {
    CountDownLatch stopped = new CountDownLatch(1);
    stop(stopped::countDown);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Unregisters triggers, then functions, so the engine stops routing here; refuses invocations
   * that still arrive ({@code unavailable}); and runs {@code callback} once running invocations are
   * done or the shutdown timeout has passed. Returns at once.
   */
  @Override
  public void stop(Runnable callback) {
    List<Registration> removed;
    synchronized (lock) {
      if (state != State.RUNNING) {
        callback.run();
        return;
      }
      state = State.DRAINING;
      removed = List.copyOf(registrations.values());
      registrations.clear();
    }
    removed.forEach(registration -> registration.triggers().forEach(Trigger::unregister));
    removed.forEach(registration -> registration.function().unregister());
    Thread drain = new Thread(() -> drain(callback), "iii-worker-drain");
    drain.setDaemon(true);
    drain.start();
  }

  private void drain(Runnable callback) {
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    synchronized (lock) {
      long remaining;
      while (inFlight > 0 && (remaining = deadline - System.nanoTime()) > 0) {
        try {
          lock.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (inFlight > 0) {
        log.warn(
            "Stopped iii functions with {} invocation(s) still running after {}",
            inFlight,
            shutdownTimeout);
      }
      state = State.STOPPED;
    }
    callback.run();
  }

  @Override
  public boolean isRunning() {
    synchronized (lock) {
      return state != State.STOPPED;
    }
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  private record Registration(FunctionRef function, List<Trigger> triggers) {}
}
