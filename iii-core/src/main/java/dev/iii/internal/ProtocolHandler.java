package dev.iii.internal;

import dev.iii.IIIException;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.Ping;
import dev.iii.protocol.Pong;
import dev.iii.protocol.ProtocolException;
import dev.iii.protocol.RegisterTrigger;
import dev.iii.protocol.TriggerRegistrationResult;
import dev.iii.protocol.UnregisterTrigger;
import dev.iii.protocol.WorkerRegistered;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker does on each event of its connection: the handshake when a socket opens, each
 * message from the engine, the clean-up when a socket closes. Messages are decoded and routed on
 * the socket's I/O thread; only the work that may block or run user code moves to other threads
 * (results in batches, invocations to the dispatcher).
 */
public final class ProtocolHandler implements EngineConnection.Handler {

  private static final Logger log = LoggerFactory.getLogger(ProtocolHandler.class);

  private final MessageCodec codec = MessageCodec.instance();
  private final byte[] pong = codec.encodeToBytes(new Pong());
  private final EngineConnection connection;
  private final Registrations registrations;
  private final EngineEndpoint endpoint;
  private final PendingCalls pendingCalls;
  private final InvocationDispatcher dispatcher;
  private final TriggerTypeHost triggerTypes;
  private final WorkerMetadata metadata;

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

  @Override
  public int opened(Session session) {
    registrations.replay(session);
    int flushed = endpoint.flush(session);
    metadata.send(session);
    return flushed;
  }

  @Override
  public void message(Session session, byte[] payload, boolean binary) {
    Message message;
    try {
      message = codec.decode(payload);
    } catch (ProtocolException e) {
      if (e.isUnknownType()) {
        log.debug("Ignoring message from engine: {}", e.getMessage());
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
          session, registered.workerId(), () -> metadata.startReporting(session));
    } else if (message instanceof RegisterTrigger register) {
      triggerTypes.register(session, register);
    } else if (message instanceof UnregisterTrigger unregister) {
      triggerTypes.unregister(unregister);
    } else if (message instanceof Ping) {
      // Through the actor: a pong then also says that what the client was asked to send before
      // the ping (registrations included) has been sent.
      connection.execute(() -> session.send(pong));
    } else if (message instanceof TriggerRegistrationResult result && result.error() != null) {
      log.warn(
          "The engine refused trigger {} ({} -> {}): {}",
          result.id(),
          result.triggerType(),
          result.functionId(),
          result.error().message());
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
