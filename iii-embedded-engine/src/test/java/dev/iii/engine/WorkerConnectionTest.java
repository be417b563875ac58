package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.ServiceRegistry;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.Worker;
import dev.iii.engine.registry.WorkerRegistry;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.router.MessageRouter;
import dev.iii.engine.transport.EngineServer;
import dev.iii.protocol.Pong;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The worker socket on its own ({@link EngineServer} with real registries, no modules): messages
 * queued from many threads go out complete and in each sender's order, nothing is kept for a worker
 * that is gone, a shutdown sends what is queued before it drops the socket, and telemetry frames
 * reach the telemetry sink untouched.
 */
class WorkerConnectionTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final WorkerRegistry workers = new WorkerRegistry();
  private final List<byte[]> telemetry = new CopyOnWriteArrayList<>();
  private EngineServer server;
  private final List<RawWorker> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    FunctionRegistry functions = new FunctionRegistry();
    TriggerRegistry triggers = new TriggerRegistry();
    MessageRouter router =
        new MessageRouter(
            workers,
            functions,
            triggers,
            new ServiceRegistry(),
            new InvocationRouter(functions, triggers));
    server =
        new EngineServer(
            "127.0.0.1",
            0,
            null,
            -1,
            router,
            telemetry::add,
            routes -> {},
            routes -> {},
            EngineLimits.defaults());
  }

  @AfterEach
  void stop() {
    sockets.forEach(RawWorker::abort);
    server.close(Duration.ofSeconds(5));
  }

  private RawWorker connect() {
    RawWorker socket = RawWorker.connect("ws://127.0.0.1:" + server.port());
    sockets.add(socket);
    return socket;
  }

  private Worker workerOf(RawWorker socket) {
    return workers.get(socket.workerId()).orElseThrow();
  }

  @Test
  void messagesQueuedFromManyThreadsArriveCompleteAndInEachSendersOrder() throws Exception {
    RawWorker socket = connect();
    Worker worker = workerOf(socket);
    int threads = 8;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        String sender = "t" + t;
        pool.execute(
            () -> {
              awaitQuietly(start);
              for (int i = 0; i < perThread; i++) {
                // A trigger registration carries free-form config: the sender and a sequence.
                worker.send(
                    new dev.iii.protocol.RegisterTrigger(
                        sender + "-" + i,
                        "test",
                        "test::fn",
                        RawWorker.MAPPER.readTree("{\"seq\":" + i + "}")));
              }
            });
      }
      start.countDown();

      Map<String, Integer> next = new HashMap<>();
      for (int received = 0; received < threads * perThread; received++) {
        JsonNode message = socket.awaitType("registertrigger");
        String sender = message.path("id").asString().split("-")[0];
        int seq = message.path("config").path("seq").asInt();
        assertThat(seq).as("next message of %s", sender).isEqualTo(next.getOrDefault(sender, 0));
        next.put(sender, seq + 1);
      }
      assertThat(next)
          .hasSize(threads)
          .allSatisfy((sender, count) -> assertThat(count).isEqualTo(perThread));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nothingIsSentOrKeptForAWorkerThatIsGone() {
    RawWorker socket = connect();
    Worker worker = workerOf(socket);
    assertThat(worker.send(new Pong())).isTrue();
    socket.awaitType("pong");

    socket.close();
    await().atMost(TIMEOUT).until(() -> workers.all().isEmpty());

    assertThat(worker.send(new Pong())).isFalse();
  }

  @Test
  void shuttingDownSendsWhatIsQueuedThenDropsTheSocketWithoutACloseFrame() {
    RawWorker socket = connect();
    Worker worker = workerOf(socket);
    for (int i = 0; i < 3; i++) {
      assertThat(worker.send(new Pong())).isTrue();
    }

    server.close(Duration.ofSeconds(5));

    assertThat(socket.awaitClosed(TIMEOUT)).isTrue();
    // As the official engine: no Close frame (SDKs treat 1000/1001 as final and would not
    // reconnect), the socket is just closed once the queued messages are out.
    assertThat(socket.closeStatus()).isEmpty();
    List<JsonNode> received = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      received.add(socket.awaitType("pong"));
    }
    assertThat(received).hasSize(3);
    assertThat(worker.send(new Pong())).isFalse();
  }

  @Test
  void telemetryFramesReachTheTelemetrySinkByteForByte() {
    RawWorker socket = connect();
    byte[] spans = "OTLP{\"resourceSpans\":[]}".getBytes(StandardCharsets.UTF_8);
    byte[] notJson = "MTRC not json at all".getBytes(StandardCharsets.UTF_8);

    socket.sendBinary(spans);
    socket.sendBinary(notJson);
    socket.sync();

    assertThat(telemetry).containsExactly(spans, notJson);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("start signal never came");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
