package dev.iii.engine.transport;

import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.router.MessageRouter;
import dev.iii.engine.support.RateLimitedLog;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The engine's listeners: on the engine port the worker WebSocket ({@code /}) and the SDKs'
 * telemetry socket ({@code /otel}), and the HTTP port. Engine modules add routes to either through
 * {@link Routes}.
 *
 * <p>Both listeners apply the engine's {@link EngineLimits}: a connection must send complete
 * request headers within {@code handshake_timeout_ms} and, kept alive, its next request within
 * {@code http_idle_timeout_ms} ({@link RequestDeadline}); request headers are bounded by {@code
 * max_request_header_bytes} (431); every WebSocket, once upgraded, is pinged and closed when silent
 * for {@code idle_timeout_ms} ({@link SocketIdleHandler}); worker frames and messages are bounded
 * by {@code max_message_bytes}. Worker messages of {@value InboundMessages#OFFLOAD_BYTES} bytes or
 * more are decoded and routed on a small bounded pool, not on the event loop.
 *
 * <p>Concurrency: bound in the constructor; the sets of open connections are concurrent, so {@link
 * #close} may run while workers connect and leave.
 */
public final class EngineServer {

  /** Adds routes to a listener before it binds. */
  @FunctionalInterface
  public interface Routes extends Consumer<HttpServerRoutes> {}

  /** The telemetry-only socket path of the official engine (0.22+). */
  public static final String TELEMETRY_PATH = "/otel";

  /** How often a warning a client can provoke is written, per cause. */
  static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);

  /** Large messages waiting for the decode pool; past this they are decoded on the event loop. */
  private static final int DECODE_QUEUE = 64;

  private final Set<WorkerConnection> connections = ConcurrentHashMap.newKeySet();
  private final Set<TelemetryConnection> telemetryConnections = ConcurrentHashMap.newKeySet();
  private final MessageRouter router;
  private final Consumer<byte[]> telemetrySink;
  private final EngineLimits limits;
  private final ThreadPoolExecutor decodePool;
  private final RateLimitedLog warnings =
      new RateLimitedLog(LoggerFactory.getLogger(EngineServer.class), WARNING_INTERVAL);
  private final DisposableServer engineServer;
  private final @Nullable DisposableServer httpServer;

  /**
   * Binds the listeners (port 0 picks a free port).
   *
   * @param httpHost where the HTTP listener binds, or {@code null} for no HTTP listener
   * @param telemetrySink receives the binary telemetry frames of both sockets
   * @param engineRoutes extra routes on the engine port (e.g. channel endpoints)
   * @param httpRoutes routes of the HTTP port
   * @param limits the bounds both listeners and every worker connection apply
   */
  public EngineServer(
      String host,
      int port,
      @Nullable String httpHost,
      int httpPort,
      MessageRouter router,
      Consumer<byte[]> telemetrySink,
      Routes engineRoutes,
      Routes httpRoutes,
      EngineLimits limits) {
    this.router = router;
    this.telemetrySink = telemetrySink;
    this.limits = limits;
    this.decodePool = decodePool();
    // One frame may carry a whole message: a large result must not cost the worker its connection.
    WebsocketServerSpec spec =
        WebsocketServerSpec.builder().maxFramePayloadLength(limits.maxMessageBytes()).build();
    this.engineServer =
        listener(host, port)
            .route(
                routes -> {
                  routes.ws("/", this::acceptWorker, spec);
                  routes.ws(TELEMETRY_PATH, this::acceptTelemetry, spec);
                  engineRoutes.accept(routes);
                  notFound(routes);
                })
            .bindNow();
    if (httpHost == null) {
      this.httpServer = null;
      return;
    }
    try {
      this.httpServer =
          listener(httpHost, httpPort)
              // A body that stops arriving (a slowloris after its headers) is closed, not waited
              // on.
              .readTimeout(limits.httpIdleTimeout())
              .route(
                  routes -> {
                    httpRoutes.accept(routes);
                    notFound(routes);
                  })
              .bindNow();
    } catch (RuntimeException e) {
      engineServer.disposeNow();
      decodePool.shutdownNow();
      throw e;
    }
  }

  /** A listener with the request deadlines, the header bound and the idle WebSocket check. */
  private HttpServer listener(String host, int port) {
    return new ListenerGuards(limits, warnings).apply(HttpServer.create().host(host).port(port));
  }

  private static ThreadPoolExecutor decodePool() {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(DECODE_QUEUE),
            task -> {
              Thread thread = new Thread(task, "iii-engine-decode-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  public int port() {
    return engineServer.port();
  }

  /** The bound HTTP port, or -1 without an HTTP listener. */
  public int httpPort() {
    return httpServer == null ? -1 : httpServer.port();
  }

  /** Number of open worker connections. */
  public int connectionCount() {
    return connections.size();
  }

  /**
   * Ends every connection as the official engine does at shutdown, then closes both listeners: a
   * worker socket gets what was queued for it and is then closed without a Close frame (so the SDKs
   * reconnect to the next engine); a telemetry socket gets an empty Close frame.
   */
  public void close(Duration timeout) {
    // Connections first: disposing the listener drops open connections at once.
    CompletableFuture<?>[] goneAway =
        java.util.stream.Stream.concat(
                connections.stream().map(WorkerConnection::goAway),
                telemetryConnections.stream().map(TelemetryConnection::close))
            .toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(goneAway).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // workers that did not take their Close in time are dropped with the listener
    }
    if (httpServer != null) {
      httpServer.disposeNow(timeout);
    }
    engineServer.disposeNow(timeout);
    decodePool.shutdownNow();
  }

  private Mono<Void> acceptWorker(WebsocketInbound in, WebsocketOutbound out) {
    InetSocketAddress[] remote = new InetSocketAddress[1];
    in.withConnection(
        c -> {
          if (c.channel().remoteAddress() instanceof InetSocketAddress address) {
            remote[0] = address;
          }
        });
    WorkerConnection connection =
        new WorkerConnection(router, telemetrySink, remoteOf(remote), limits, decodePool, warnings);
    connections.add(connection);
    return connection.handle(in, out).doFinally(signal -> connections.remove(connection));
  }

  private Mono<Void> acceptTelemetry(WebsocketInbound in, WebsocketOutbound out) {
    TelemetryConnection connection =
        new TelemetryConnection(telemetrySink, limits.maxMessageBytes());
    telemetryConnections.add(connection);
    return connection.handle(in).doFinally(signal -> telemetryConnections.remove(connection));
  }

  /** Number of open telemetry ({@code /otel}) connections. */
  public int telemetryConnectionCount() {
    return telemetryConnections.size();
  }

  private static @Nullable InetSocketAddress remoteOf(@Nullable InetSocketAddress[] holder) {
    return holder[0];
  }

  private static void notFound(HttpServerRoutes routes) {
    routes.route(request -> true, (req, res) -> res.status(HttpResponseStatus.NOT_FOUND).send());
  }
}
