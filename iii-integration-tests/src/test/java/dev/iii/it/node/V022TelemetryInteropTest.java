package dev.iii.it.node;

import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.awaitLog;
import static dev.iii.it.node.V022.logs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.engine.EmbeddedEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official Node SDK 0.22.1 with OpenTelemetry on (its default) opens a second WebSocket to
 * {@code <engine url>/otel} for traces, metrics and logs ({@code @iii-dev/helpers}
 * telemetry-system: {@code appendOtelPath}, {@code SharedEngineConnection}). Our engine must accept
 * it and keep it open while telemetry flows; otherwise the SDK retries for ever ("Unexpected server
 * response: 404", "Reconnecting in …"). The SDK reports that socket only on its console, which the
 * driver turns into {@code log} events.
 */
class V022TelemetryInteropTest {

  private static final Predicate<String> CONNECTED =
      l -> l.startsWith("[OTel] Connected to engine");
  private static final Predicate<String> TROUBLE =
      l ->
          l.startsWith("[OTel] WebSocket error")
              || l.startsWith("[OTel] Disconnected")
              || l.startsWith("[OTel] Reconnecting")
              || l.startsWith("[OTel] Connection failed");

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    Interop.closeAll(resources);
    resources.clear();
  }

  @Test
  void theOtelSocketIsAcceptedAndStaysOpenWhileTelemetryFlows() {
    EmbeddedEngine engine = Interop.startEngine();
    resources.add(engine);
    NodeSdk node = V022.connect(engine.wsUrl(), "node-otel", Map.of("otel", true));
    resources.add(node);

    // Its first outcome: connected, or an error such as the 404 of an engine without /otel.
    String first = awaitLog(node, CONNECTED.or(TROUBLE));
    assertThat(first).isEqualTo("[OTel] Connected to engine at " + engine.wsUrl() + "/otel");

    // Spans of a call, then a flush of every exporter over that socket.
    String fn = uniqueId("node::traced");
    node.result("register", Map.of("id", fn, "behavior", "echo"));
    awaitNodeSees(node, fn);
    node.result("call", Map.of("function_id", fn, "data", Map.of("traced", true)));
    assertThat(node.result("flushOtel", Map.of()).path("flushed").asBoolean())
        .as("flushed over /otel")
        .isTrue();

    // No reconnect loop: over a bounded window the socket neither fails nor reconnects.
    await("the /otel socket stays open")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> logs(node, TROUBLE).isEmpty());
    assertThat(logs(node, CONNECTED)).hasSize(1);
  }
}
