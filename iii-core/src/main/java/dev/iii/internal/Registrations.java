package dev.iii.internal;

import dev.iii.TriggerHandler;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What this worker has registered, and sends again on every connection in the official order:
 * trigger types, services, functions, then triggers (Lettuce's handshake, run on every connect).
 *
 * <p>Concurrency: the handlers, read by I/O threads for each invocation, are in concurrent maps
 * that API calls claim synchronously (so a duplicate id fails at once). The messages to replay are
 * owned by the connection's actor: every change to them, and every send, is a task there, so a
 * registration and a replay never interleave.
 */
public final class Registrations {

  private final EngineConnection connection;
  private final MessageCodec codec = MessageCodec.instance();
  private final Map<String, LocalFunction> functionHandlers = new ConcurrentHashMap<>();
  private final Map<String, TriggerHandler> triggerTypeHandlers = new ConcurrentHashMap<>();

  // Owned by the actor, in registration order.
  private final Map<String, byte[]> triggerTypes = new LinkedHashMap<>();
  private final Map<String, byte[]> services = new LinkedHashMap<>();
  private final Map<String, byte[]> functions = new LinkedHashMap<>();
  private final Map<String, byte[]> triggers = new LinkedHashMap<>();

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
    byte[] frame = codec.encodeToBytes(registration);
    connection.execute(() -> add(functions, id, frame));
  }

  /** Removes a function, if registered by this handler still. */
  public void removeFunction(String id, LocalFunction handler, Message unregistration) {
    if (functionHandlers.remove(id, handler)) {
      byte[] frame = codec.encodeToBytes(unregistration);
      connection.execute(() -> remove(functions, id, frame));
    }
  }

  public void addTrigger(String id, Message registration) {
    byte[] frame = codec.encodeToBytes(registration);
    connection.execute(() -> add(triggers, id, frame));
  }

  public void removeTrigger(String id, Message unregistration) {
    byte[] frame = codec.encodeToBytes(unregistration);
    connection.execute(() -> remove(triggers, id, frame));
  }

  public void addTriggerType(String id, TriggerHandler handler, Message registration) {
    triggerTypeHandlers.put(id, handler);
    byte[] frame = codec.encodeToBytes(registration);
    connection.execute(() -> add(triggerTypes, id, frame));
  }

  public void removeTriggerType(String id, Message unregistration) {
    if (triggerTypeHandlers.remove(id) != null) {
      byte[] frame = codec.encodeToBytes(unregistration);
      connection.execute(() -> remove(triggerTypes, id, frame));
    }
  }

  public void addService(String id, Message registration) {
    byte[] frame = codec.encodeToBytes(registration);
    connection.execute(() -> add(services, id, frame));
  }

  /** On the actor: sends everything, in the official order. */
  void replay(Session session) {
    triggerTypes.values().forEach(session::send);
    services.values().forEach(session::send);
    functions.values().forEach(session::send);
    triggers.values().forEach(session::send);
  }

  private void add(Map<String, byte[]> registry, String id, byte[] frame) {
    registry.put(id, frame);
    sendIfConnected(frame);
  }

  private void remove(Map<String, byte[]> registry, String id, byte[] frame) {
    if (registry.remove(id) != null) {
      sendIfConnected(frame);
    }
  }

  private void sendIfConnected(byte[] frame) {
    Session session = connection.current();
    if (session != null) {
      session.send(frame);
    }
  }
}
