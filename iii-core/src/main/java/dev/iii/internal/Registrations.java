package dev.iii.internal;

import dev.iii.TriggerHandler;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class Registrations {

  private final EngineConnection connection;
  private final MessageCodec codec = MessageCodec.instance();
  private final Map<String, LocalFunction> functionHandlers = new ConcurrentHashMap<>();
  private final Map<String, TriggerHandler> triggerTypeHandlers = new ConcurrentHashMap<>();
  private final Set<String> triggerIds = ConcurrentHashMap.newKeySet();

  /** Changes not yet sent, waiting for their task on the actor; calls then queue behind them. */
  private final AtomicInteger waiting = new AtomicInteger();

  // Owned by the actor, in registration order.
  private final Map<String, Sent> triggerTypes = new LinkedHashMap<>();
  private final Map<String, Sent> services = new LinkedHashMap<>();
  private final Map<String, Sent> functions = new LinkedHashMap<>();
  private final Map<String, Sent> triggers = new LinkedHashMap<>();

  public Registrations(EngineConnection connection) {
    this.connection = connection;
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
   * @throws IllegalStateException when this worker registered the id already
   */
  public void addFunction(String id, LocalFunction handler, Message registration) {
    if (functionHandlers.putIfAbsent(id, handler) != null) {
      throw new IllegalStateException("function id already registered: " + id);
    }
    add(functions, id, registration);
  }

  /** Removes a function, if registered by this handler still. */
  public void removeFunction(String id, LocalFunction handler, Message unregistration) {
    if (functionHandlers.remove(id, handler)) {
      remove(functions, id, unregistration);
    }
  }

  public void addTrigger(String id, Message registration) {
    triggerIds.add(id);
    add(triggers, id, registration);
  }

  /** Removes a trigger; a second removal does nothing. */
  public void removeTrigger(String id, Message unregistration) {
    if (triggerIds.remove(id)) {
      remove(triggers, id, unregistration);
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
