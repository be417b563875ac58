package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.transport.WsSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A worker that stops reading costs the engine at most {@code max_outbound_bytes}: past it the
 * worker is disconnected with one warning, the calls waiting for it end with an error, and the
 * engine goes on serving everyone else.
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
  void aWorkerThatStopsReadingIsDisconnectedAndItsCallersGetAnError() throws Exception {
    engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .limits(EngineLimits.defaults().withMaxMessageBytes(MIB).withMaxOutboundBytes(2 * MIB))
            .build()
            .start();
    try (EngineLogCapture logs = new EngineLogCapture()) {
      WsSocket stuck = WsSocket.connect(engine.port(), "/", 4 * KIB);
      open.add(stuck);
      stuck.readTextContaining("workerregistered");
      stuck.sendText("{\"type\":\"registerfunction\",\"id\":\"stuck::sink\"}");
      stuck.sendText("{\"type\":\"ping\"}");
      stuck.readTextContaining("pong");
      // From here on the worker reads nothing.

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

      // Every call ends with an error: stopped with the worker, or not found once it is gone.
      List<String> codes = new ArrayList<>();
      for (String id : ids) {
        JsonNode answer = caller.awaitResult(id, SLOW);
        assertThat(answer.has("error")).as("answer %s", answer.path("error")).isTrue();
        codes.add(answer.path("error").path("code").asString());
      }
      assertThat(codes).contains("invocation_stopped");
      assertThat(stuck.awaitClosedByPeer(SLOW)).as("the stuck socket is closed").isNotNegative();
      assertThat(logs.warnings())
          .filteredOn(line -> line.contains("does not read"))
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
}
