package dev.iii.internal;

import dev.iii.IIIException;
import dev.iii.TriggerHandler;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What this worker has registered, and sends again on every connection in the official order:
 * trigger types, services, functions, then triggers (Lettuce's handshake, run on every connect).
 *
 * <p>Concurrency: the handlers, read by I/O threads for each invocation, are in concurrent maps
 * that API calls claim synchronously (so a duplicate id fails at once). A change is sent at once on
 * the open session from the caller's thread — so a registration comes before the calls its thread
 * makes next, as calls take the same path — and recorded by a task on the connection's actor, which
 * owns the messages to replay and sends the change itself if the session it went out on is no
 * longer the open one. A replay and a recording never interleave.
 *
 * <p>Each function and trigger has a status future (the handles' {@code status()}): failed, on a
 * callback thread, when the engine refuses it; completed when it is unregistered.
 */
public final class Registrations {

  private final EngineConnection connection;
  private final Executor callbackExecutor;
  private final MessageCodec codec = MessageCodec.instance();
  private final Map<String, LocalFunction> functionHandlers = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> functionStatus = new ConcurrentHashMap<>();
  private final Map<String, TriggerHandler> triggerTypeHandlers = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> triggerStatus = new ConcurrentHashMap<>();

  /** Changes not yet sent, waiting for their task on the actor; calls then queue behind them. */
  private final AtomicInteger waiting = new AtomicInteger();

  // Owned by the actor, in registration order.
  private final Map<String, Sent> triggerTypes = new LinkedHashMap<>();
  private final Map<String, Sent> services = new LinkedHashMap<>();
  private final Map<String, Sent> functions = new LinkedHashMap<>();
  private final Map<String, Sent> triggers = new LinkedHashMap<>();

  public Registrations(EngineConnection connection, Executor callbackExecutor) {
    this.connection = connection;
    this.callbackExecutor = callbackExecutor;
  }

  /** The handler of a function of this worker, or {@code null}. Any thread. */
  public @Nullable LocalFunction function(String id) {
    return functionHandlers.get(id);
  }

  /** The handler of a trigger type this worker provides, or {@code null}. Any thread. */
  public @Nullable TriggerHandler triggerType(String id) {
    return triggerTypeHandlers.get(id);
  }

  /**
   * Registers a function.
   *
   * @return its status
   * @throws IllegalStateException when this worker registered the id already
   */
  public CompletableFuture<Void> addFunction(
      String id, LocalFunction handler, Message registration) {
    if (functionHandlers.putIfAbsent(id, handler) != null) {
      throw new IllegalStateException("function id already registered: " + id);
    }
    CompletableFuture<Void> status = new CompletableFuture<>();
    functionStatus.put(id, status);
    add(functions, id, registration);
    return status;
  }

  /** Removes a function, if registered by this handler still. */
  public void removeFunction(String id, LocalFunction handler, Message unregistration) {
    if (functionHandlers.remove(id, handler)) {
      CompletableFuture<Void> status = functionStatus.remove(id);
      remove(functions, id, unregistration);
      if (status != null) {
        completeLater(status);
      }
    }
  }

  /**
   * Registers a trigger.
   *
   * @return its status
   */
  public CompletableFuture<Void> addTrigger(String id, Message registration) {
    CompletableFuture<Void> status = new CompletableFuture<>();
    triggerStatus.put(id, status);
    add(triggers, id, registration);
    return status;
  }

  /** Removes a trigger; a second removal does nothing. */
  public void removeTrigger(String id, Message unregistration) {
    CompletableFuture<Void> status = triggerStatus.remove(id);
    if (status != null) {
      remove(triggers, id, unregistration);
      completeLater(status);
    }
  }

  /**
   * The engine refused a trigger of this worker: fails its status through {@code completer} (the
   * read's completions, so a result read after the refusal completes after the status failed).
   *
   * @return whether the trigger is one of this worker's
   */
  public boolean refuseTrigger(String id, IIIException refusal, Executor completer) {
    CompletableFuture<Void> status = triggerStatus.get(id);
    if (status == null) {
      return false;
    }
    completer.execute(() -> status.completeExceptionally(refusal));
    return true;
  }

  /**
   * The engine refused a function of this worker: fails its status. An engine with access control
   * may name it with a registration prefix ({@code prefix::id}).
   *
   * @param completer fails the status (the read's completions, as for {@link #refuseTrigger})
   * @return the id this worker registered the function under, or {@code null} if it is not one of
   *     this worker's
   */
  public @Nullable String refuseFunction(String id, IIIException refusal, Executor completer) {
    String local = id;
    CompletableFuture<Void> status = functionStatus.get(id);
    if (status == null) {
      for (Map.Entry<String, CompletableFuture<Void>> entry : functionStatus.entrySet()) {
        if (id.endsWith("::" + entry.getKey())) {
          local = entry.getKey();
          status = entry.getValue();
          break;
        }
      }
    }
    if (status == null) {
      return null;
    }
    CompletableFuture<Void> refused = status;
    completer.execute(() -> refused.completeExceptionally(refusal));
    return local;
  }

  /** Completes a status on a callback thread (its registration was removed). */
  private void completeLater(CompletableFuture<Void> status) {
    Runnable end = () -> status.complete(null);
    try {
      callbackExecutor.execute(end);
    } catch (RejectedExecutionException e) {
      end.run(); // shut down: here rather than never
    }
  }

  public void addTriggerType(String id, TriggerHandler handler, Message registration) {
    triggerTypeHandlers.put(id, handler);
    add(triggerTypes, id, registration);
  }

  public void removeTriggerType(String id, Message unregistration) {
    if (triggerTypeHandlers.remove(id) != null) {
      remove(triggerTypes, id, unregistration);
    }
  }

  public void addService(String id, Message registration) {
    add(services, id, registration);
  }

  /**
   * Whether every change made so far has been sent or recorded. While one waits for the actor, a
   * call must go through the actor too, or it could reach the engine before the function it calls.
   */
  public boolean settled() {
    return waiting.get() == 0;
  }

  /** On the actor: sends everything, in the official order. */
  void replay(Session session) {
    for (Map<String, Sent> registry : List.of(triggerTypes, services, functions, triggers)) {
      for (Sent registered : registry.values()) {
        registered.sendOn(session);
      }
    }
  }

  private void add(Map<String, Sent> registry, String id, Message registration) {
    Sent registered = new Sent(codec.encodeToBytes(registration));
    boolean sent = registered.sendNow(connection.current());
    if (!sent) {
      waiting.incrementAndGet();
    }
    connection.execute(
        () -> {
          registry.put(id, registered);
          registered.sendIfMissedBy(connection.current());
          if (!sent) {
            waiting.decrementAndGet();
          }
        });
  }

  private void remove(Map<String, Sent> registry, String id, Message unregistration) {
    Sent removal = new Sent(codec.encodeToBytes(unregistration));
    boolean sent = removal.sendNow(connection.current());
    if (!sent) {
      waiting.incrementAndGet();
    }
    connection.execute(
        () -> {
          Sent removed = registry.remove(id);
          Session open = connection.current();
          // Only a session that has the registration needs the removal.
          if (removed != null && open != null && removed.sentOn == open) {
            removal.sendIfMissedBy(open);
          }
          if (!sent) {
            waiting.decrementAndGet();
          }
        });
  }

  /** A registration message, and the session it last went out on. */
  private static final class Sent {

    final byte[] frame;
    volatile @Nullable Session sentOn;

    Sent(byte[] frame) {
      this.frame = frame;
    }

    /** From the caller's thread: out at once on the open session, if there is one. */
    boolean sendNow(@Nullable Session open) {
      if (open != null && open.send(frame)) {
        sentOn = open;
        return true;
      }
      return false;
    }

    /** On the actor: sends it on {@code open} unless it went out there already. */
    void sendIfMissedBy(@Nullable Session open) {
      if (open != null && sentOn != open) {
        sendOn(open);
      }
    }

    void sendOn(Session session) {
      if (session.send(frame)) {
        sentOn = session;
      }
    }
  }
}
