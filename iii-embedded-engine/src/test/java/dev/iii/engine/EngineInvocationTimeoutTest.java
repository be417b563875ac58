package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.engine.config.EngineLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An invocation nobody answers ends in the engine after {@code limits.invocation_timeout_ms}: its
 * caller gets {@code timeout}, the engine keeps nothing of it, a late result goes nowhere, and both
 * workers stay connected. Waits are generous bounds, never measurements.
 */
class EngineInvocationTimeoutTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final EmbeddedEngine engine =
      EmbeddedEngine.builder()
          .host("127.0.0.1")
          .port(0)
          .httpPort(0)
          .streamPort(0)
          .limits(EngineLimits.defaults().withInvocationTimeout(Duration.ofMillis(300)))
          .build()
          .start();

  private final List<RawWorker> workers = new ArrayList<>();

  @AfterEach
  void stop() {
    workers.forEach(RawWorker::abort);
    engine.close();
  }

  private RawWorker connect() {
    RawWorker worker = RawWorker.connect(engine);
    workers.add(worker);
    return worker;
  }

  @Test
  void aThousandAbandonedCallsAllTimeOutAndLeaveNothingBehind() {
    RawWorker caller = connect();
    RawWorker handler = connect();
    handler.sendAndSync("{\"type\":\"registerfunction\",\"id\":\"b::never\"}");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String id = UUID.randomUUID().toString();
      ids.add(id);
      caller.send(
          "{\"type\":\"invokefunction\",\"invocation_id\":\""
              + id
              + "\",\"function_id\":\"b::never\",\"data\":{}}");
    }
    JsonNode last = null;
    for (int i = 0; i < 1000; i++) {
      last = handler.awaitInvocation("b::never", WAIT);
    }

    for (String id : ids) {
      JsonNode result = caller.awaitResult(id, WAIT);
      assertThat(result.path("function_id").asString()).isEqualTo("b::never");
      assertThat(result.path("error").path("code").asString()).isEqualTo("timeout");
      assertThat(result.path("error").path("message").asString())
          .contains("b::never")
          .contains("300 ms");
    }

    assertThat(activeInvocations(caller, caller)).isZero();
    assertThat(activeInvocations(caller, handler)).isZero();
    // The handler answers too late: the engine has handled it once the handler's sync returns,
    // and anything it sent the caller would arrive before the caller's own sync answer.
    String lateId = last.path("invocation_id").asString();
    handler.reply(last, "\"late\"");
    handler.sync();
    caller.sync();
    assertThat(caller.drain())
        .noneMatch(
            m ->
                "invocationresult".equals(m.path("type").asString())
                    && lateId.equals(m.path("invocation_id").asString()));
    assertThat(caller.isClosed()).isFalse();
    assertThat(handler.isClosed()).isFalse();
    assertThat(activeInvocations(handler, caller)).isZero();
  }

  /** The {@code active_invocations} of {@code of}, as {@code engine::workers::list} shows them. */
  private static int activeInvocations(RawWorker asking, RawWorker of) {
    return asking
        .callResult("engine::workers::list", "{\"worker_id\":\"" + of.workerId() + "\"}")
        .path("workers")
        .get(0)
        .path("active_invocations")
        .asInt();
  }
}
