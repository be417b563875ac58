package dev.iii.internal;

import dev.iii.IIIException;
import dev.iii.protocol.EngineError;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.Ping;
import dev.iii.protocol.Pong;
import dev.iii.protocol.ProtocolException;
import dev.iii.protocol.Reattach;
import dev.iii.protocol.RegisterTrigger;
import dev.iii.protocol.RegistrationRejected;
import dev.iii.protocol.TriggerRegistrationResult;
import dev.iii.protocol.UnregisterTrigger;
import dev.iii.protocol.WorkerRegistered;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.exc.InvalidTypeIdException;

/**
 * What the worker does on each event of its connection: the handshake when a socket opens ({@code
 * reattach} after a reconnect, then the registrations), each message from the engine, the clean-up
 * when a socket closes. Messages are decoded and routed on the socket's I/O thread; only the work
 * that may block or run user code moves to other threads (results in batches, invocations to the
 * dispatcher). Nothing the engine says is dropped silently: refusals and unknown message types are
 * logged at WARN (each unknown type once). Concurrency: stateless but for the set of unknown types
 * seen, a concurrent set.
 */
public final class ProtocolHandler implements ConnectionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProtocolHandler.class);

  /** Unknown message types remembered, so that each is reported once; beyond it, at DEBUG. */
  private static final int MAX_UNKNOWN_TYPES = 64;

  private final MessageCodec codec = MessageCodec.instance();
  private final byte[] pong = codec.encodeToBytes(new Pong());
  private final EngineConnection connection;
  private final Registrations registrations;
  private final EngineEndpoint endpoint;
  private final PendingCalls pendingCalls;
  private final InvocationDispatcher dispatcher;
  private final TriggerTypeHost triggerTypes;
  private final WorkerMetadata metadata;
  private final Set<String> unknownTypes = ConcurrentHashMap.newKeySet();

  public ProtocolHandler(
      EngineConnection connection,
      Registrations registrations,
      EngineEndpoint endpoint,
      PendingCalls pendingCalls,
      InvocationDispatcher dispatcher,
      TriggerTypeHost triggerTypes,
      dev.iii.InitOptions options) {
    this.connection = connection;
    this.registrations = registrations;
    this.endpoint = endpoint;
    this.pendingCalls = pendingCalls;
    this.dispatcher = dispatcher;
    this.triggerTypes = triggerTypes;
    this.metadata = new WorkerMetadata(options, connection);
  }

  /**
   * The official SDKs' order (Node 0.23): after a reconnect first {@code reattach}, so the engine
   * retires the previous connection (and its worker name) before anything else; then the worker
   * metadata, which tells a 0.23 engine the connection's namespace, so that it need not hold the
   * registrations back; then the registrations; then the calls made while offline, which may call
   * this worker's own functions.
   */
  @Override
  public int opened(Session session) {
    Reattach reattach = connection.reattach();
    if (reattach != null) {
      session.send(codec.encodeToBytes(reattach));
    }
    metadata.send(session);
    registrations.replay(session);
    return endpoint.flush(session);
  }

  @Override
  public void message(Session session, byte[] payload, boolean binary) {
    Message message;
    try {
      message = codec.decode(payload);
    } catch (ProtocolException e) {
      if (e.isUnknownType()) {
        unknownType(e);
      } else {
        log.warn("Dropping malformed message from engine: {}", e.getMessage());
      }
      return;
    }
    if (message instanceof InvocationResult result) {
      pendingCalls.onResult(result, session.completions());
    } else if (message instanceof InvokeFunction invoke) {
      dispatcher.dispatch(session, invoke);
    } else if (message instanceof WorkerRegistered registered) {
      connection.workerRegistered(
          session,
          registered.workerId(),
          registered.reattachToken(),
          () -> metadata.startReporting(session));
    } else if (message instanceof RegisterTrigger register) {
      triggerTypes.register(session, register);
    } else if (message instanceof UnregisterTrigger unregister) {
      triggerTypes.unregister(unregister);
    } else if (message instanceof Ping) {
      // Through the actor: a pong then also says that what the client was asked to send before
      // the ping (registrations included) has been sent.
      connection.execute(() -> session.send(pong));
    } else if (message instanceof Pong) {
      // The answer to the heartbeat's ping: its arrival is all that counts.
    } else if (message instanceof TriggerRegistrationResult result) {
      triggerResult(session, result);
    } else if (message instanceof EngineError error) {
      connection.fail(session, new IIIException(error.error().code(), error.error().message()));
    } else if (message instanceof RegistrationRejected rejected) {
      rejected(session, rejected);
    } else {
      unexpected(message.type());
    }
  }

  /** A trigger of this worker, refused by the engine or by the trigger type's provider. */
  private void triggerResult(Session session, TriggerRegistrationResult result) {
    ErrorBody error = result.error();
    if (error == null) {
      return; // a success: engines send none to the registering worker
    }
    IIIException refusal =
        new IIIException(error.code(), error.message(), result.functionId(), null, null);
    boolean ours = registrations.refuseTrigger(result.id(), refusal, session.completions());
    log.warn(
        "The iii engine refused {}trigger {} ({} -> {}): {}: {}",
        ours ? "" : "unknown ",
        result.id(),
        result.triggerType(),
        result.functionId(),
        error.code(),
        error.message());
  }

  /** Engine 0.23+: a function refused (the connection stays), or the whole worker (it closes). */
  private void rejected(Session session, RegistrationRejected rejected) {
    String reason = rejected.describe();
    String functionId = rejected.functionId();
    if (functionId == null
        || RegistrationRejected.WORKER_NAMESPACE_CONFLICT.equals(rejected.code())) {
      connection.fail(session, new IIIException(rejected.code(), reason));
      return;
    }
    IIIException refusal = new IIIException(rejected.code(), reason, functionId, null, null);
    String local = registrations.refuseFunction(functionId, refusal, session.completions());
    log.warn(
        "The iii engine refused function {}: {}; the worker stays connected and serves its other"
            + " functions",
        local != null ? local : functionId,
        reason);
  }

  private void unknownType(ProtocolException e) {
    String type =
        e.getCause() instanceof InvalidTypeIdException invalid && invalid.getTypeId() != null
            ? invalid.getTypeId()
            : String.valueOf(e.getMessage());
    unexpected(type);
  }

  /** A message type this client does not handle: told at WARN once per type, then at DEBUG. */
  private void unexpected(String type) {
    if (unknownTypes.size() < MAX_UNKNOWN_TYPES && unknownTypes.add(type)) {
      log.warn(
          "Ignoring messages of type '{}' from the iii engine: this client does not handle them"
              + " (reported once per type)",
          type);
    } else {
      log.debug("Ignoring message of type '{}' from the iii engine", type);
    }
  }

  @Override
  public void closed(Session session, @Nullable Throwable cause) {
    metadata.stopReporting(session);
    boolean shutDown = connection.isShutDown();
    pendingCalls.failSentOn(
        session,
        call ->
            shutDown
                ? new IIIException(
                    IIIException.SHUTDOWN, "iii is shutting down", call.functionId(), null, null)
                : new IIIException(
                    IIIException.CONNECTION_LOST,
                    "connection to the engine was lost before the function answered",
                    call.functionId(),
                    null,
                    cause));
  }

  @Override
  public void gaveUp(IIIException failure) {
    endpoint.failQueued(failure);
  }
}
