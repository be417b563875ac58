package dev.iii.internal;

import dev.iii.InitOptions;
import dev.iii.channel.ChannelConnector;
import dev.iii.protocol.Limits;
import dev.iii.schema.JsonSchemas;
import dev.iii.transport.ReactorNettyTransport;
import dev.iii.transport.WebSocketRequest;
import dev.iii.transport.WebSocketTransport;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * @param registrar turns registration calls into messages and handles
 * @param dispatcher runs this worker's invocations
 * @param calls sends calls
 * @param shutdown stops the client
 */
public record ClientParts(
    ChannelConnector channels,
    Payloads payloads,
    EngineConnection connection,
    Registrations registrations,
    Registrar registrar,
    InvocationDispatcher dispatcher,
    Calls calls,
    Shutdown shutdown) {

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
            new WebSocketRequest(
                withQuery(address, options.queryParams()),
                options.headers(),
                Limits.MAX_MESSAGE_BYTES,
                options.handshakeTimeout()),
            options.reconnection(),
            options.pingInterval(),
            options.idleTimeout(),
            options.reconnectGrace(),
            callbackExecutor,
            pendingCalls);
    Registrations registrations = new Registrations(connection, callbackExecutor);
    EngineEndpoint endpoint =
        new EngineEndpoint(connection, pendingCalls, registrations, options.maxQueueSize());
    pendingCalls.resendWith(endpoint::resend);
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
        channels,
        payloads,
        connection,
        registrations,
        new Registrar(
            registrations, payloads, JsonSchemas.builder().mapper(options.jsonMapper()).build()),
        dispatcher,
        calls,
        shutdown);
  }

  /** The engine address with the handshake's query parameters added (URL-encoded). */
  static URI withQuery(URI address, Map<String, String> params) {
    if (params.isEmpty()) {
      return address;
    }
    StringBuilder query = new StringBuilder();
    String existing = address.getRawQuery();
    if (existing != null && !existing.isEmpty()) {
      query.append(existing);
    }
    params.forEach(
        (name, value) -> {
          if (query.length() > 0) {
            query.append('&');
          }
          query.append(encode(name)).append('=').append(encode(value));
        });
    String text = address.toString();
    int cut = text.indexOf('#');
    String fragment = cut < 0 ? "" : text.substring(cut);
    String base = cut < 0 ? text : text.substring(0, cut);
    int mark = base.indexOf('?');
    if (mark >= 0) {
      base = base.substring(0, mark);
    }
    if (address.getRawPath() == null || address.getRawPath().isEmpty()) {
      base = base + "/";
    }
    return URI.create(base + "?" + query + fragment);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
