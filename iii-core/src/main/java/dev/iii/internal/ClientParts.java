package dev.iii.internal;

import dev.iii.InitOptions;
import dev.iii.channel.ChannelConnector;
import dev.iii.protocol.Limits;
import dev.iii.transport.ReactorNettyTransport;
import dev.iii.transport.WebSocketRequest;
import dev.iii.transport.WebSocketTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The parts of one client, wired together: the composition root behind {@code III}'s constructor.
 *
 * @param channels opens channel ends
 * @param payloads reads and writes payloads
 * @param connection the engine connection
 * @param registrations what is replayed on every connect
 * @param dispatcher runs this worker's invocations
 * @param calls sends calls
 * @param shutdown stops the client
 */
public record ClientParts(
    ChannelConnector channels,
    Payloads payloads,
    EngineConnection connection,
    Registrations registrations,
    InvocationDispatcher dispatcher,
    Calls calls,
    Shutdown shutdown) {

  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** Builds the parts of a client of the engine at {@code address}. */
  public static ClientParts assemble(URI address, InitOptions options) {
    ExecutorService callbackExecutor =
        Executors.newCachedThreadPool(new DaemonThreads("iii-callback"));
    Executor handlers = options.handlerExecutor();
    ExecutorService ownedHandlerExecutor = null;
    if (handlers == null) {
      // Unbounded on its own, bounded in use: the dispatcher runs at most maxConcurrency handlers.
      ownedHandlerExecutor = Executors.newCachedThreadPool(new DaemonThreads("iii-handler"));
      handlers = ownedHandlerExecutor;
    }
    WebSocketTransport transport =
        options.transport() != null ? options.transport() : new ReactorNettyTransport();
    ChannelConnector channels = new ChannelConnector(address, transport, callbackExecutor);
    Payloads payloads = new Payloads(options.jsonMapper(), channels);
    PendingCalls pendingCalls = new PendingCalls(callbackExecutor);
    EngineConnection connection =
        new EngineConnection(
            address,
            transport,
            new WebSocketRequest(address, Map.of(), Limits.MAX_MESSAGE_BYTES, HANDSHAKE_TIMEOUT),
            options.reconnection(),
            callbackExecutor,
            pendingCalls);
    Registrations registrations = new Registrations(connection);
    EngineEndpoint endpoint =
        new EngineEndpoint(connection, pendingCalls, registrations, options.maxQueueSize());
    InvocationDispatcher dispatcher =
        new InvocationDispatcher(
            registrations,
            payloads,
            handlers,
            options.maxConcurrentInvocations(),
            options.maxQueuedInvocations());
    connection.handler(
        new ProtocolHandler(
            connection,
            registrations,
            endpoint,
            pendingCalls,
            dispatcher,
            new TriggerTypeHost(registrations, payloads, handlers),
            options));
    Calls calls =
        new Calls(
            payloads,
            pendingCalls,
            endpoint,
            new CallInterception(options.callInterceptor()),
            callbackExecutor);
    Shutdown shutdown =
        new Shutdown(
            options.workerName(),
            dispatcher,
            connection,
            endpoint,
            pendingCalls,
            callbackExecutor,
            ownedHandlerExecutor);
    return new ClientParts(
        channels, payloads, connection, registrations, dispatcher, calls, shutdown);
  }
}
