package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.ConnectionState;
import dev.iii.III;
import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.transport.WsSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A connection that stops reading costs the engine at most {@code max_outbound_bytes}: past half of
 * it, invocations for it are refused ({@code unavailable}) and the connection stays, so that a
 * flood cannot disconnect a busy worker; past all of it (results it asked for and does not read) it
 * is disconnected with one warning; a socket that reads nothing at all is closed by the idle
 * timeout. The engine goes on serving everyone else.
 */
class OutboundLimitTest {

  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;
  private static final Duration SLOW = Duration.ofSeconds(20);

  private EmbeddedEngine engine;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  private static String uuid() {
    return UUID.randomUUID().toString();
  }

  @Test
  void aWorkerThatStopsReadingIsRefusedFurtherCallsThenClosedOnceSilent() throws Exception {
    engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .limits(
                EngineLimits.defaults()
                    .withMaxMessageBytes(MIB)
                    .withMaxOutboundBytes(2 * MIB)
                    .withIdleTimeout(Duration.ofSeconds(3)))
            .build()
            .start();
    try (EngineLogCapture logs = new EngineLogCapture()) {
      WsSocket stuck = WsSocket.connect(engine.port(), "/", 4 * KIB);
      open.add(stuck);
      stuck.readTextContaining("workerregistered");
      stuck.sendText("{\"type\":\"registerfunction\",\"id\":\"stuck::sink\"}");
      stuck.sendText("{\"type\":\"ping\"}");
      stuck.readTextContaining("pong");
      // From here on the worker reads nothing (not even the engine's pings).

      RawWorker caller = RawWorker.connect(engine);
      open.add(caller);
      String blob = "x".repeat(256 * KIB);
      List<String> ids = new ArrayList<>();
      // 16 MiB for a worker that may have 2 MiB waiting (and what the kernel buffers).
      for (int i = 0; i < 64; i++) {
        String id = uuid();
        ids.add(id);
        caller.send(
            "{\"type\":\"invokefunction\",\"invocation_id\":\""
                + id
                + "\",\"function_id\":\"stuck::sink\",\"data\":\""
                + blob
                + "\"}");
      }

      // Every call ends with an error: refused while the worker is behind, stopped when the
      // silent socket is closed, or not found once it is gone.
      List<String> codes = new ArrayList<>();
      for (String id : ids) {
        JsonNode answer = caller.awaitResult(id, SLOW);
        assertThat(answer.has("error")).as("answer %s", answer.path("error")).isTrue();
        codes.add(answer.path("error").path("code").asString());
      }
      assertThat(codes)
          .contains("unavailable")
          .isSubsetOf("unavailable", "invocation_stopped", "function_not_found");
      assertThat(stuck.awaitClosedByPeer(SLOW)).as("the silent socket is closed").isNotNegative();
      assertThat(logs.warnings())
          .filteredOn(line -> line.contains("is behind"))
          .singleElement()
          .asString()
          .contains("max_outbound_bytes 2097152");

      // Everyone else is still served.
      assertThat(caller.callResult("engine::functions::list", "{}").path("functions").isArray())
          .isTrue();
      try (RawWorker other = RawWorker.connect(engine)) {
        assertThat(other.callResult("engine::workers::list", "{}").path("workers").isArray())
            .isTrue();
      }
    }
  }

  @Test
  void aCallerThatDoesNotReadItsResultsIsDisconnectedAndTheWorkerStays() throws Exception {
    engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .limits(EngineLimits.defaults().withMaxMessageBytes(MIB).withMaxOutboundBytes(2 * MIB))
            .build()
            .start();
    try (EngineLogCapture logs = new EngineLogCapture();
        III worker = new III(engine.wsUrl())) {
      worker.registerFunction("echo::big", input -> input);
      worker.connect().get(10, TimeUnit.SECONDS);

      WsSocket greedy = WsSocket.connect(engine.port(), "/", 4 * KIB);
      open.add(greedy);
      greedy.readTextContaining("workerregistered");
      String blob = "x".repeat(256 * KIB);
      // 16 MiB of results for a caller that may have 2 MiB waiting; it reads none of them.
      try {
        for (int i = 0; i < 64; i++) {
          greedy.sendText(
              "{\"type\":\"invokefunction\",\"invocation_id\":\""
                  + uuid()
                  + "\",\"function_id\":\"echo::big\",\"data\":\""
                  + blob
                  + "\"}");
        }
      } catch (java.io.IOException e) {
        // disconnected while still sending: what should happen to it
      }

      assertThat(greedy.awaitClosedByPeer(SLOW)).as("the greedy caller is closed").isNotNegative();
      assertThat(logs.warnings())
          .filteredOn(line -> line.contains("does not read"))
          .singleElement()
          .asString()
          .contains("max_outbound_bytes 2097152");
      assertThat(worker.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
      try (III caller = new III(engine.wsUrl())) {
        caller.connect().get(10, TimeUnit.SECONDS);
        assertThat(caller.call("echo::big", Map.of("a", 1)).get(10, TimeUnit.SECONDS))
            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsEntry("a", 1);
      }
    }
  }
}
