package dev.iii.spring.worker;

import dev.iii.ConnectionState;
import dev.iii.FunctionRef;
import dev.iii.IIIClient;
import dev.iii.IIIException;
import dev.iii.RegisterFunctionOptions;
import dev.iii.Trigger;
import dev.iii.protocol.EngineFunctions;
import dev.iii.schema.JsonSchemas;
import dev.iii.spring.annotation.IIIFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Registers the {@link IIIFunctionEndpoint}s with the client when the application starts and
 * removes them, draining running invocations, when it stops. The client replays registrations on
 * every reconnect by itself, so this class registers each endpoint once per start.
 *
 * <p>Each function is registered with its description and JSON Schemas: the formats its annotation
 * gives, else the schemas of its payload and result types (unless generation is off).
 *
 * <p>It starts late (phase {@link #PHASE}, after the client connected and the web server started)
 * and stops early, while the client is still connected, so results of draining invocations still
 * reach their callers. With {@code enabled = false} (a client-only application), endpoints are
 * collected and validated but never registered.
 *
 * <p>Starting waits, at most the registration timeout, for the engine to have handled the
 * registrations: it makes one call after them on the same connection, which the engine answers only
 * after it has refused (or taken) every registration before it. If the engine refused any, startup
 * fails with an exception naming each function, trigger and reason. While the engine is unreachable
 * starting does not wait (the client registers once connected). Refusals that come later, or for
 * endpoints registered after start, are logged at WARN and listed by {@link
 * #refusedRegistrations()} (the {@code iii} health indicator shows them).
 *
 * <p>Each function runs in its own lane ({@link IIIFunctionConcurrency}): a bounded number at once
 * and a bounded queue. Stopping drains: every invocation admitted before it began, running or
 * queued, still runs and is answered within the shutdown timeout; only those arriving after it
 * began are refused ({@code unavailable}), each logged (at most one line per function per 10 s).
 *
 * <p>Concurrency: thread-safe. The lock guards this object's state only; the client is never called
 * while it is held.
 *
 * <p>Over 400 lines because registration, its confirmation and the drain share the same state and
 * lock; splitting them would expose that state across classes.
 */
public class IIIFunctionRegistry implements SmartLifecycle, IIIRegisteredFunctions {

  /** Spring Kafka's listener container phase: after the web server starts, before it stops. */
  public static final int PHASE = Integer.MAX_VALUE - 100;

  /** The default of {@code iii.worker.registration-timeout}. */
  public static final Duration DEFAULT_REGISTRATION_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(IIIFunctionRegistry.class);

  private enum State {
    STOPPED,
    RUNNING,
    DRAINING
  }

  /** Codes of a call that ended without the engine answering it. */
  private static final Set<String> NO_ANSWER =
      Set.of(
          IIIException.TIMEOUT,
          IIIException.CONNECTION_LOST,
          IIIException.CONNECTION_FAILED,
          IIIException.SHUTDOWN,
          IIIException.QUEUE_OVERFLOW);

  private final IIIClient client;
  private final boolean enabled;
  private final Duration shutdownTimeout;
  private final IIIInvocationObserver observer;
  private final @Nullable JsonSchemas schemas;
  private final Duration registrationTimeout;
  private final IIIFunctionConcurrency concurrency;
  private final Object lock = new Object();
  private final Map<String, IIIFunctionEndpoint> endpoints = new LinkedHashMap<>();
  private final Map<String, Registration> registrations = new LinkedHashMap<>();
  private final Map<String, FunctionLane> lanes = new LinkedHashMap<>();
  private final List<RefusedRegistration> refusals = new ArrayList<>();
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
    this(
        client,
        enabled,
        shutdownTimeout,
        observer,
        JsonSchemas.defaults(),
        DEFAULT_REGISTRATION_TIMEOUT);
  }

  /**
   * @param client the client to register the functions with
   * @param enabled whether to register at all ({@code iii.worker.enabled})
   * @param shutdownTimeout how long stopping waits for running invocations
   * @param observer told about every invocation (metrics)
   * @param schemas makes the JSON Schemas of payload and result types; {@code null}: none are made
   *     ({@code iii.worker.schemas.enabled=false}), formats given in annotations are still sent
   * @param registrationTimeout how long starting waits for the engine to confirm the registrations
   *     ({@code iii.worker.registration-timeout}); zero: it does not wait
   */
  public IIIFunctionRegistry(
      IIIClient client,
      boolean enabled,
      Duration shutdownTimeout,
      IIIInvocationObserver observer,
      @Nullable JsonSchemas schemas,
      Duration registrationTimeout) {
    this(
        client,
        enabled,
        shutdownTimeout,
        observer,
        schemas,
        registrationTimeout,
        IIIFunctionConcurrency.defaults());
  }

  /**
   * @param client the client to register the functions with
   * @param enabled whether to register at all ({@code iii.worker.enabled})
   * @param shutdownTimeout how long stopping waits for running and queued invocations
   * @param observer told about every invocation (metrics)
   * @param schemas makes the JSON Schemas of payload and result types; {@code null}: none are made
   * @param registrationTimeout how long starting waits for the engine to confirm the registrations
   * @param concurrency each function's limits and the executor its invocations run on
   */
  public IIIFunctionRegistry(
      IIIClient client,
      boolean enabled,
      Duration shutdownTimeout,
      IIIInvocationObserver observer,
      @Nullable JsonSchemas schemas,
      Duration registrationTimeout,
      IIIFunctionConcurrency concurrency) {
    this.concurrency = Objects.requireNonNull(concurrency, "concurrency");
    this.client = Objects.requireNonNull(client, "client");
    this.enabled = enabled;
    this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.schemas = schemas;
    this.registrationTimeout = Objects.requireNonNull(registrationTimeout, "registrationTimeout");
    if (registrationTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "iii.worker.registration-timeout must not be negative, was " + registrationTimeout);
    }
  }

  /**
   * Adds an endpoint; it is registered with the client at start, or at once if already started.
   *
   * @throws IllegalStateException if another endpoint has the same id
   */
  public void register(IIIFunctionEndpoint endpoint) {
    boolean now;
    IIIFunction annotation =
        AnnotatedElementUtils.findMergedAnnotation(endpoint.method(), IIIFunction.class);
    FunctionLane lane =
        concurrency.laneFor(
            endpoint.id(),
            annotation != null ? annotation.concurrency() : 0,
            annotation != null ? annotation.queueCapacity() : -1);
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
      lanes.put(endpoint.id(), lane);
      now = state == State.RUNNING;
    }
    if (now && enabled) {
      keep(List.of(registerWithClient(endpoint)));
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

  /** Each function's limits, what it runs and queues now, and what it refused. */
  public List<IIIFunctionLoad> functionLoads() {
    synchronized (lock) {
      return List.copyOf(lanes.values());
    }
  }

  /**
   * How many invocations were admitted and not yet answered: running, waiting in their function's
   * queue, or with asynchronous results not yet complete.
   */
  public int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  /**
   * Registrations the engine refused since the last start, in the order the refusals came (see
   * {@link IIIRegisteredFunctions#refusedRegistrations()}).
   */
  @Override
  public List<RefusedRegistration> refusedRegistrations() {
    synchronized (lock) {
      return List.copyOf(refusals);
    }
  }

  /** Whether registration is switched on ({@code iii.worker.enabled}). */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Registers every endpoint, then waits (at most the registration timeout) for the engine to have
   * handled them.
   *
   * @throws IllegalStateException when the engine refused any of them; nothing stays registered
   */
  @Override
  public void start() {
    List<IIIFunctionEndpoint> toRegister;
    synchronized (lock) {
      if (state != State.STOPPED) {
        return;
      }
      state = State.RUNNING;
      toRegister = List.copyOf(endpoints.values());
    }
    if (!enabled || toRegister.isEmpty()) {
      return;
    }
    List<Registration> made = new ArrayList<>();
    try {
      for (IIIFunctionEndpoint endpoint : toRegister) {
        made.add(registerWithClient(endpoint));
      }
    } catch (RuntimeException e) {
      abortStart(made);
      throw e;
    }
    keep(made);
    List<RefusedRegistration> refused = confirm(made);
    if (!refused.isEmpty()) {
      abortStart(made);
      throw new IllegalStateException(
          refused.stream()
              .map(RefusedRegistration::describe)
              .collect(
                  Collectors.joining(
                      "\n  - ",
                      "The iii engine refused "
                          + refused.size()
                          + " registration(s) of @IIIFunction methods:\n  - ",
                      "")));
    }
  }

  /** Registers a function and its triggers; never under the lock. */
  private Registration registerWithClient(IIIFunctionEndpoint endpoint) {
    FunctionSchemas formats = endpoint.schemas();
    FunctionLane lane;
    synchronized (lock) {
      lane = Objects.requireNonNull(lanes.get(endpoint.id()), endpoint.id());
    }
    FunctionRef function =
        client.registerFunction(
            endpoint.id(),
            new IIIFunctionInvoker(endpoint, client, tracker, observer, lane),
            RegisterFunctionOptions.builder()
                .description(endpoint.description().isEmpty() ? null : endpoint.description())
                .requestFormat(formats.request(schemas))
                .responseFormat(formats.response(schemas))
                .build());
    List<RegisteredTrigger> triggers = new ArrayList<>();
    try {
      for (TriggerDefinition definition : endpoint.triggers()) {
        triggers.add(
            new RegisteredTrigger(
                definition,
                client.registerTrigger(definition.type(), endpoint.id(), definition.config())));
      }
    } catch (RuntimeException e) {
      triggers.forEach(trigger -> trigger.handle().unregister());
      function.unregister();
      throw e;
    }
    return new Registration(endpoint, function, triggers);
  }

  /**
   * Records registrations made for the current run and follows their statuses; when the registry
   * stopped meanwhile, removes them instead.
   */
  private void keep(List<Registration> made) {
    List<Registration> stale = new ArrayList<>();
    synchronized (lock) {
      for (Registration registration : made) {
        if (state == State.RUNNING) {
          registrations.put(registration.endpoint().id(), registration);
        } else {
          stale.add(registration);
        }
      }
    }
    stale.forEach(Registration::unregister);
    for (Registration registration : made) {
      if (!stale.contains(registration)) {
        follow(registration);
      }
    }
  }

  /** Logs and lists refusals of a registration's function and triggers as they come. */
  private void follow(Registration registration) {
    registration
        .function()
        .status()
        .whenComplete((ok, error) -> refused(registration, null, error));
    for (RegisteredTrigger trigger : registration.triggers()) {
      trigger
          .handle()
          .status()
          .whenComplete((ok, error) -> refused(registration, trigger.definition(), error));
    }
  }

  private void refused(
      Registration registration, @Nullable TriggerDefinition trigger, @Nullable Throwable error) {
    if (error == null) {
      return; // unregistered
    }
    RefusedRegistration refusal = refusal(registration.endpoint(), trigger, error);
    synchronized (lock) {
      if (registrations.get(registration.endpoint().id()) != registration) {
        return; // removed meanwhile
      }
      refusals.add(refusal);
    }
    log.warn("The iii engine refused the {}", refusal.describe());
  }

  private static RefusedRegistration refusal(
      IIIFunctionEndpoint endpoint, @Nullable TriggerDefinition trigger, Throwable error) {
    Throwable cause = unwrap(error);
    String code = cause instanceof IIIException e ? e.code() : cause.getClass().getSimpleName();
    String message = cause instanceof IIIException e ? e.errorMessage() : cause.getMessage();
    return new RefusedRegistration(
        endpoint.id(), endpoint.source(), trigger, code, String.valueOf(message));
  }

  /**
   * Waits for the engine to have handled {@code made}: a call after them on the same connection
   * (the engine handles a connection's messages in order, and the client shows a refusal before the
   * answer to a later call). Does not wait while the engine is unreachable.
   *
   * @return what the engine refused; empty when it refused nothing or could not be asked
   */
  private List<RefusedRegistration> confirm(List<Registration> made) {
    if (registrationTimeout.isZero() || made.isEmpty()) {
      return List.of();
    }
    ConnectionState initial = client.getConnectionState();
    if (initial != ConnectionState.CONNECTED && initial != ConnectionState.CONNECTING) {
      log.info(
          "Not waiting for the iii engine to confirm the registrations of {} function(s): the"
              + " client is {}; they are registered once it connects, and refusals are logged and"
              + " shown by the iii health indicator",
          made.size(),
          initial);
      return List.of();
    }
    CompletableFuture<Boolean> unreachable = new CompletableFuture<>();
    Runnable unsubscribe =
        client.onConnectionStateChange(
            state -> {
              if (state == ConnectionState.RECONNECTING
                  || state == ConnectionState.FAILED
                  || state == ConnectionState.DISCONNECTED) {
                unreachable.complete(false);
              }
            });
    String probeId = made.get(made.size() - 1).endpoint().id();
    CompletableFuture<Boolean> answered =
        client
            .call(
                EngineFunctions.FUNCTIONS_INFO, Map.of("function_id", probeId), registrationTimeout)
            .handle((result, error) -> error == null || isEngineAnswer(error));
    boolean confirmed;
    try {
      confirmed =
          (Boolean)
              CompletableFuture.anyOf(answered, unreachable)
                  .get(registrationTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      confirmed = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      confirmed = false;
    } finally {
      unsubscribe.run();
    }
    if (!confirmed) {
      log.info(
          "The iii engine did not confirm the registrations of {} function(s) within {} (state {});"
              + " they are registered once it is reachable, and refusals are logged and shown by"
              + " the iii health indicator",
          made.size(),
          registrationTimeout,
          client.getConnectionState());
      return List.of();
    }
    List<RefusedRegistration> refused = new ArrayList<>();
    for (Registration registration : made) {
      Throwable error = failure(registration.function().status());
      if (error != null) {
        refused.add(refusal(registration.endpoint(), null, error));
      }
      for (RegisteredTrigger trigger : registration.triggers()) {
        Throwable triggerError = failure(trigger.handle().status());
        if (triggerError != null) {
          refused.add(refusal(registration.endpoint(), trigger.definition(), triggerError));
        }
      }
    }
    return refused;
  }

  /** Whether a failed call was answered by the engine (e.g. {@code NOT_FOUND} of old engines). */
  private static boolean isEngineAnswer(Throwable error) {
    return unwrap(error) instanceof IIIException e && !NO_ANSWER.contains(e.code());
  }

  private static @Nullable Throwable failure(CompletableFuture<Void> status) {
    if (!status.isCompletedExceptionally()) {
      return null;
    }
    try {
      status.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      return e;
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Undoes a start that failed: removes what it registered and stops. */
  private void abortStart(List<Registration> made) {
    synchronized (lock) {
      made.forEach(
          registration -> registrations.remove(registration.endpoint().id(), registration));
      refusals.clear();
      state = State.STOPPED;
    }
    made.forEach(Registration::unregister);
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
      refusals.clear();
    }
    removed.forEach(
        registration -> registration.triggers().forEach(trigger -> trigger.handle().unregister()));
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
        int dropped = lanes.values().stream().mapToInt(FunctionLane::discardQueued).sum();
        log.warn(
            "Stopped iii functions after {} with {} invocation(s) unanswered; {} of them had not"
                + " started and never will",
            shutdownTimeout,
            inFlight,
            dropped);
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

  /** A trigger as registered with the client, with the definition it came from. */
  private record RegisteredTrigger(TriggerDefinition definition, Trigger handle) {}

  /** An endpoint's registrations with the client. */
  private record Registration(
      IIIFunctionEndpoint endpoint, FunctionRef function, List<RegisteredTrigger> triggers) {

    /** Triggers first, then the function, so the engine stops routing here first. */
    void unregister() {
      triggers.forEach(trigger -> trigger.handle().unregister());
      function.unregister();
    }
  }
}
