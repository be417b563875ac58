package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded soak of the stand-alone engine under hostile clients beside normal traffic: clients
 * that flood a function of their own choosing with calls and never read the results, request bodies
 * far over the limit, and sockets that connect and never finish a request. Normal calls and HTTP
 * requests must all succeed while it happens, every hostile connection must be closed by the
 * engine, and afterwards the engine's heap (after a full GC) and RSS must be back near where they
 * started.
 *
 * <p>Memory bounds are set by the engine's limits, not by the machine's speed: the engine runs with
 * small limits and a small heap, so that a missing bound shows as an error or a large RSS rather
 * than as a slower test.
 */
class EngineSoakIT {

  private static final int MIB = 1024 * 1024;

  /** What a hostile client may leave behind, at most: heap after GC, and resident memory. */
  private static final long HEAP_SLACK = 24L * MIB;

  private static final long RSS_SLACK = 192L * MIB;

  @TempDir Path dir;

  @Test
  void hostileClientsLeaveNormalTrafficAndTheEnginesMemoryAlone() throws Exception {
    Path config = dir.resolve("engine.yaml");
    Files.writeString(
        config,
        """
        workers:
          - name: iii-worker-manager
            config: {host: 127.0.0.1, port: 0}
          - name: iii-http
            config: {host: 127.0.0.1, port: 0}
        limits:
          max_message_bytes: 4194304
          max_outbound_bytes: 8388608
          max_request_body_bytes: 1048576
          handshake_timeout_ms: 1000
        """);
    try (EngineProcess engine =
            EngineProcess.start(
                List.of("-Xmx192m", "-XX:MaxDirectMemorySize=192m"),
                List.of("--config", config.toString()));
        III worker = new III(engine.wsUrl());
        III floodWorker = new III(engine.wsUrl());
        III caller = new III(engine.wsUrl())) {
      worker.registerFunction("soak::echo", input -> input);
      // What the hostile callers call: another worker, so that the flood it gets is its own.
      floodWorker.registerFunction("soak::flood", input -> input);
      floodWorker.connect().get(10, TimeUnit.SECONDS);
      worker.registerTrigger(
          "http", "soak::echo", Map.of("api_path", "/soak/echo", "http_method", "POST"));
      worker.connect().get(10, TimeUnit.SECONDS);
      caller.connect().get(10, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      URI echoUrl = URI.create("http://127.0.0.1:" + engine.httpPort() + "/soak/echo");
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> post(http, echoUrl, "{\"warm\":true}").statusCode() == 200);

      NormalTraffic normal = new NormalTraffic(caller, http, echoUrl);
      normal.runFor(200); // warm up the paths the soak measures
      long heapBefore = engine.heapAfterGcBytes();
      long rssBefore = engine.rssBytes();

      normal.start();
      ExecutorService hostile = Executors.newFixedThreadPool(6);
      try {
        List<CompletableFuture<?>> attacks = new ArrayList<>();
        ConcurrentLinkedQueue<RawWebSocket> readers = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 3; i++) {
          attacks.add(
              CompletableFuture.runAsync(() -> slowReader(engine.wsUrl(), readers), hostile));
        }
        AtomicInteger refusedBodies = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
          attacks.add(
              CompletableFuture.runAsync(
                  () -> oversizedBodies(engine.httpPort(), 5, refusedBodies), hostile));
        }
        List<Socket> silent = silentSockets(engine, 200);
        CompletableFuture.allOf(attacks.toArray(CompletableFuture[]::new))
            .get(120, TimeUnit.SECONDS);
        long peakRss = engine.rssBytes();

        await("the engine closes the sockets that never sent a request")
            .atMost(Duration.ofSeconds(30))
            .until(() -> silent.stream().allMatch(EngineSoakIT::closedByPeer));
        await("the engine disconnects the clients that stopped reading")
            .atMost(Duration.ofSeconds(30))
            .until(() -> readers.stream().allMatch(RawWebSocket::closedByPeer));
        assertThat(refusedBodies.get()).as("over-limit bodies answered 413").isEqualTo(10);
        for (Socket socket : silent) {
          socket.close();
        }
        for (RawWebSocket reader : readers) {
          reader.close();
        }

        normal.stop();
        long heapAfter = engine.heapAfterGcBytes();
        long rssAfter = engine.rssBytes();
        System.out.printf(
            "soak: normal calls %d, http %d; heap after GC %d -> %d MiB; RSS %d -> peak %d -> %d"
                + " MiB%n",
            normal.calls.get(),
            normal.requests.get(),
            heapBefore / MIB,
            heapAfter / MIB,
            rssBefore / MIB,
            peakRss / MIB,
            rssAfter / MIB);
        assertThat(normal.failures).as("normal traffic failures").isEmpty();
        assertThat(normal.calls.get()).isPositive();
        assertThat(normal.requests.get()).isPositive();
        assertThat(heapAfter).isLessThan(heapBefore + HEAP_SLACK);
        assertThat(rssAfter).isLessThan(rssBefore + RSS_SLACK);
      } finally {
        normal.stop();
        hostile.shutdownNow();
      }
    }
  }

  /** Calls and HTTP requests on two threads, every outcome counted. */
  private static final class NormalTraffic {
    final III caller;
    final HttpClient http;
    final URI url;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicBoolean running = new AtomicBoolean();
    final List<Thread> threads = new ArrayList<>();

    NormalTraffic(III caller, HttpClient http, URI url) {
      this.caller = caller;
      this.http = http;
      this.url = url;
    }

    void runFor(int iterations) {
      for (int i = 0; i < iterations; i++) {
        callOnce();
        requestOnce();
      }
    }

    void start() {
      running.set(true);
      for (Runnable step : List.<Runnable>of(this::callOnce, this::requestOnce)) {
        Thread thread = new Thread(() -> loop(step), "soak-normal-traffic");
        thread.start();
        threads.add(thread);
      }
    }

    private void loop(Runnable step) {
      while (running.get()) {
        step.run();
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(60_000);
      }
      threads.clear();
    }

    void callOnce() {
      String id = UUID.randomUUID().toString();
      try {
        Object result = caller.call("soak::echo", Map.of("id", id)).get(30, TimeUnit.SECONDS);
        if (!(result instanceof Map<?, ?> map) || !id.equals(map.get("id"))) {
          failures.add("call answered " + result);
        }
        calls.incrementAndGet();
      } catch (Exception e) {
        failures.add("call failed: " + e);
      }
    }

    void requestOnce() {
      try {
        HttpResponse<String> response = post(http, url, "{\"n\":1}");
        if (response.statusCode() != 200) {
          failures.add("HTTP " + response.statusCode() + ": " + response.body());
        }
        requests.incrementAndGet();
      } catch (Exception e) {
        failures.add("HTTP failed: " + e);
      }
    }
  }

  private static HttpResponse<String> post(HttpClient http, URI url, String json)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Calls the echo with 256 KiB payloads and never reads a result, until the engine gives up. */
  private static void slowReader(String wsUrl, ConcurrentLinkedQueue<RawWebSocket> readers) {
    String payload = "x".repeat(256 * 1024);
    try {
      RawWebSocket socket = RawWebSocket.connect(wsUrl, 4096);
      readers.add(socket);
      for (int i = 0; i < 400; i++) {
        socket.sendText(
            "{\"type\":\"invokefunction\",\"invocation_id\":\""
                + UUID.randomUUID()
                + "\",\"function_id\":\"soak::flood\",\"data\":{\"p\":\""
                + payload
                + "\"}}");
      }
    } catch (IOException e) {
      // the engine closed the connection: what it should do to a client that does not read
    }
  }

  /**
   * Sends {@code count} requests declaring a 64 MiB body (answered before the body is sent) and
   * {@code count} chunked bodies that keep coming past the limit, each on its own connection.
   *
   * @param refused counts the requests answered 413
   */
  private static void oversizedBodies(int port, int count, AtomicInteger refused) {
    for (int i = 0; i < count; i++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(30_000);
        socket
            .getOutputStream()
            .write(
                ("POST /soak/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: "
                        + (64L * MIB)
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        if (statusLine(socket.getInputStream()).startsWith("HTTP/1.1 413")) {
          refused.incrementAndGet();
        }
      } catch (IOException e) {
        // not counted as refused
      }
      chunkedFlood(port);
    }
  }

  /**
   * A chunked JSON body sent until the engine stops it (64 MiB at most); its answer is not read.
   */
  private static void chunkedFlood(int port) {
    byte[] chunk = ("10000\r\n" + " ".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /soak/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      for (int sent = 0; sent < 64 * MIB; sent += 0x10000) {
        out.write(chunk);
      }
    } catch (IOException e) {
      // the engine answered 413 and closed the connection: what it should do
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString().trim();
  }

  /** Opens TCP connections to both ports that never send a byte. */
  private static List<Socket> silentSockets(EngineProcess engine, int count) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket();
      socket.connect(
          new InetSocketAddress("127.0.0.1", i % 2 == 0 ? engine.port() : engine.httpPort()),
          10_000);
      sockets.add(socket);
    }
    return sockets;
  }

  private static boolean closedByPeer(Socket socket) {
    try {
      socket.setSoTimeout(1);
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
