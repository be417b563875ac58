package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.ConnectionState;
import dev.iii.III;
import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.transport.WsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No connection holds a socket for ever: one that does not finish its request headers in {@code
 * handshake_timeout_ms} (silent, a half request line, a slowloris) is closed on any port, a
 * keep-alive HTTP connection after {@code http_idle_timeout_ms}, and a WebSocket from which nothing
 * — not even a pong — is read for {@code idle_timeout_ms}; a worker that answers pings stays.
 * Request headers over {@code max_request_header_bytes} are answered 431.
 */
class ListenerTimeoutsTest {

  private static final Duration SHORT = Duration.ofMillis(300);
  private static final Duration IDLE = Duration.ofMillis(900);

  /** A generous bound for something the engine does after {@link #SHORT} or {@link #IDLE}. */
  private static final Duration BOUND = Duration.ofSeconds(15);

  private EmbeddedEngine engine;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() {
    engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .limits(
                EngineLimits.defaults()
                    .withHandshakeTimeout(SHORT)
                    .withHttpIdleTimeout(SHORT)
                    .withIdleTimeout(IDLE)
                    .withMaxRequestHeaderBytes(4096))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
    engine.close();
  }

  private Socket socket(int port) throws IOException {
    Socket socket = new Socket();
    open.add(socket);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return socket;
  }

  /** Whether the peer closes the socket within {@link #BOUND}, reading (and dropping) its data. */
  private static boolean closedByPeer(Socket socket) throws IOException {
    socket.setSoTimeout(Math.toIntExact(BOUND.toMillis()));
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // what the engine answered, if anything
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Test
  void aSilentConnectionIsClosedOnBothPorts() throws Exception {
    try (EngineLogCapture logs = new EngineLogCapture()) {
      Socket engineSide = socket(engine.port());
      Socket httpSide = socket(engine.httpPort());
      assertThat(closedByPeer(engineSide)).as("engine port").isTrue();
      assertThat(closedByPeer(httpSide)).as("HTTP port").isTrue();
      // One line per cause per interval, not one per connection.
      assertThat(logs.warnings())
          .filteredOn(line -> line.contains("no complete request headers"))
          .hasSize(1);
    }
  }

  @Test
  void aSilentConnectionIsClosedOnTheStreamPortToo() throws Exception {
    Socket streamSide = socket(engine.streamPort());
    assertThat(closedByPeer(streamSide)).as("stream port").isTrue();
  }

  @Test
  void halfARequestLineIsClosed() throws Exception {
    Socket socket = socket(engine.port());
    write(socket, "GET / HT");
    assertThat(closedByPeer(socket)).isTrue();
  }

  @Test
  void aSlowlorisIsClosedAlthoughItKeepsSending() throws Exception {
    Socket socket = socket(engine.httpPort());
    OutputStream out = socket.getOutputStream();
    byte[] request = "GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] header = "X-Slow: y\r\n".getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + BOUND.toNanos();
    boolean closed = false;
    // One byte every 50 ms, never ending the headers: each byte comes well within the timeout.
    for (int i = 0; System.nanoTime() < deadline && !closed; i++) {
      byte next = i < request.length ? request[i] : header[(i - request.length) % header.length];
      try {
        out.write(next);
        out.flush();
      } catch (IOException e) {
        closed = true;
      }
      socket.setSoTimeout(50); // the pace of the slowloris, and a check for the close
      try {
        closed |= socket.getInputStream().read() < 0;
      } catch (SocketTimeoutException e) {
        // still open
      } catch (SocketException e) {
        closed = true;
      }
    }
    assertThat(closed).as("slowloris closed").isTrue();
  }

  @Test
  void aKeepAliveConnectionIsClosedWhenIdle() throws Exception {
    Socket socket = socket(engine.httpPort());
    write(socket, "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n");
    socket.setSoTimeout(Math.toIntExact(BOUND.toMillis()));
    byte[] start = socket.getInputStream().readNBytes(12);
    assertThat(new String(start, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 404");
    assertThat(closedByPeer(socket)).isTrue();
  }

  @Test
  void aRequestBodyThatStopsArrivingIsClosed() throws Exception {
    try (dev.iii.III worker = new dev.iii.III(engine.wsUrl())) {
      worker.registerFunction("upload::sink", input -> java.util.Map.of("ok", true));
      worker.registerTrigger(
          "http", "upload::sink", java.util.Map.of("api_path", "/upload", "http_method", "POST"));
      worker.connect().get(10, java.util.concurrent.TimeUnit.SECONDS);
      org.awaitility.Awaitility.await().atMost(BOUND).until(this::uploadRouteAnswers);

      Socket socket = socket(engine.httpPort());
      write(
          socket,
          "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: 100\r\n\r\n{\"a\":");
      // ...and not one byte more: the body must not hold the connection for ever.
      assertThat(closedByPeer(socket)).as("stalled body closed").isTrue();
    }
  }

  private boolean uploadRouteAnswers() throws IOException {
    try (Socket probe = socket(engine.httpPort())) {
      write(
          probe,
          "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
      probe.setSoTimeout(Math.toIntExact(BOUND.toMillis()));
      byte[] start = probe.getInputStream().readNBytes(12);
      return new String(start, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
    }
  }

  @Test
  void requestHeadersOverTheLimitAreAnswered431() throws Exception {
    Socket socket = socket(engine.httpPort());
    write(socket, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(5000) + "\r\n\r\n");
    socket.setSoTimeout(Math.toIntExact(BOUND.toMillis()));
    byte[] start = socket.getInputStream().readNBytes(12);
    assertThat(new String(start, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 431");
  }

  @Test
  void aWebSocketThatAnswersNoPingIsClosedAfterTheIdleTimeout() throws Exception {
    WsSocket silent = WsSocket.connect(engine.port(), "/");
    open.add(silent);
    silent.readTextContaining("workerregistered");
    int pings = silent.awaitClosedByPeer(BOUND);
    assertThat(pings).as("pings before the close (-1: never closed)").isPositive();
  }

  @Test
  void aWorkerThatAnswersPingsStaysPastSeveralIdleTimeouts() throws Exception {
    try (III client = new III(engine.wsUrl())) {
      client.connect().get();
      Optional<String> id = client.workerId();
      assertThat(id).isPresent();
      await()
          .during(IDLE.multipliedBy(4))
          .atMost(IDLE.multipliedBy(4).plus(BOUND))
          .until(() -> client.getConnectionState() == ConnectionState.CONNECTED);
      assertThat(client.workerId()).isEqualTo(id);
    }
    // And a socket that answers the engine's pings itself, with no traffic of its own.
    WsSocket answering = WsSocket.connect(engine.port(), "/");
    open.add(answering);
    answering.readTextContaining("workerregistered");
    long until = System.nanoTime() + IDLE.multipliedBy(4).toNanos();
    int pings = 0;
    while (System.nanoTime() < until) {
      WsSocket.Frame frame = answering.readFrame();
      if (frame.opcode() == WsSocket.Frame.PING) {
        pings++;
        answering.sendFrame(WsSocket.Frame.PONG, frame.payload());
      }
    }
    assertThat(pings).isGreaterThanOrEqualTo(2);
    answering.sendText("{\"type\":\"ping\"}");
    assertThat(answering.readTextContaining("pong")).contains("pong");
  }
}
