package dev.iii.engine.modules.stream;

import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.support.RateLimitedLog;
import dev.iii.engine.transport.ListenerGuards;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stream WebSocket listener ({@code ws://host:3112/}): browsers and other clients connect here
 * and send {@code join}/{@code leave} messages. With an {@code auth_function}, each upgrade request
 * ({@code {headers, path, query_params, addr}}) is first passed to it; its answer's {@code context}
 * is given to the join and leave triggers. As in the official engine, the function cannot refuse
 * the connection: when it fails or answers nothing, the socket opens without a context (refuse
 * joins with a {@code stream:join} trigger instead).
 *
 * <p>Concurrency: bound in the constructor; each connection is served by its own {@link
 * StreamSocket}; the auth call is asynchronous.
 */
final class StreamListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamListener.class);

  /** Connections closed by the listener's deadlines, reported once per cause per 10 s. */
  private static final RateLimitedLog WARNINGS = new RateLimitedLog(log, Duration.ofSeconds(10));

  private final StreamHub hub;
  private final StreamTriggers triggers;
  private final StreamFunctions functions;
  private final InvocationRouter invocations;
  private final @Nullable String authFunction;
  private final EngineLimits limits;
  private final DisposableServer server;

  StreamListener(
      String host,
      int port,
      @Nullable String authFunction,
      StreamHub hub,
      StreamTriggers triggers,
      StreamFunctions functions,
      InvocationRouter invocations,
      EngineLimits limits) {
    this.hub = hub;
    this.triggers = triggers;
    this.functions = functions;
    this.invocations = invocations;
    this.authFunction = authFunction;
    this.limits = limits;
    this.server =
        new ListenerGuards(limits, WARNINGS)
            .apply(HttpServer.create().host(host).port(port))
            .handle(this::accept)
            .bindNow();
  }

  /** The bound port. */
  int port() {
    return server.port();
  }

  private Publisher<Void> accept(HttpServerRequest request, HttpServerResponse response) {
    URI uri;
    try {
      uri = URI.create(request.uri());
    } catch (IllegalArgumentException e) {
      return response.status(HttpResponseStatus.BAD_REQUEST).send();
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (!path.equals("/")) {
      return response.status(HttpResponseStatus.NOT_FOUND).send();
    }
    if (!request.requestHeaders().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
      return response
          .status(HttpResponseStatus.BAD_REQUEST)
          .sendString(Mono.just("Connection header did not include 'upgrade'"));
    }
    String remote = address(request.remoteAddress());
    String auth = authFunction;
    if (auth == null) {
      return upgrade(response, null, remote);
    }
    ObjectNode input = authInput(request, path, uri.getRawQuery(), remote);
    // The answer arrives on another thread; the upgrade must happen on this connection's loop, or
    // a frame the client sends right after the handshake may reach the pipeline before its decoder.
    java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Executor> loop =
        new java.util.concurrent.atomic.AtomicReference<>(Runnable::run);
    request.withConnection(connection -> loop.set(connection.channel().eventLoop())); // at once
    return Mono.fromFuture(() -> invocations.call(auth, input))
        .map(result -> java.util.Optional.<JsonNode>of(result))
        .defaultIfEmpty(java.util.Optional.empty())
        .onErrorResume(
            error -> {
              hub.warnings()
                  .warn(
                      "stream auth failed",
                      "Stream socket {}: auth function {} failed: {}; connecting without a"
                          + " context",
                      remote,
                      auth,
                      error.getMessage());
              return Mono.just(java.util.Optional.empty());
            })
        .publishOn(Schedulers.fromExecutor(java.util.Objects.requireNonNull(loop.get())))
        .flatMap(
            result -> {
              JsonNode context = null;
              if (result.isPresent()) {
                JsonNode answer = result.get();
                if (answer.isObject()) {
                  JsonNode value = answer.get("context");
                  context = value == null || value.isNull() ? null : value;
                } else if (!answer.isNull()) {
                  log.error(
                      "Stream auth function {} answered {}, not an object with a context",
                      auth,
                      answer.getNodeType());
                }
              }
              return Mono.from(upgrade(response, context, remote));
            });
  }

  private Publisher<Void> upgrade(
      HttpServerResponse response, @Nullable JsonNode context, String remote) {
    StreamSocket socket =
        new StreamSocket(hub, triggers, functions, context, remote, limits.maxMessageBytes());
    return response.sendWebsocket(
        socket::handle,
        WebsocketServerSpec.builder().maxFramePayloadLength(limits.maxMessageBytes()).build());
  }

  /** The official {@code StreamAuthInput}: lower-case header names, raw query values. */
  private static ObjectNode authInput(
      HttpServerRequest request, String path, @Nullable String query, String remote) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode input = json.objectNode();
    ObjectNode headers = input.putObject("headers");
    for (Map.Entry<String, String> header : request.requestHeaders()) {
      headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
    }
    input.put("path", path);
    ObjectNode params = input.putObject("query_params");
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        if (key.isEmpty()) {
          continue;
        }
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        JsonNode existing = params.get(key);
        (existing == null ? params.putArray(key) : (tools.jackson.databind.node.ArrayNode) existing)
            .add(value);
      }
    }
    input.put("addr", remote);
    return input;
  }

  private static String address(@Nullable InetSocketAddress address) {
    if (address == null) {
      return "unknown";
    }
    String host =
        address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  @Override
  public void close() {
    hub.closeAll();
    server.disposeNow(Duration.ofSeconds(5));
  }
}
