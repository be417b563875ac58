package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.engine.config.EngineLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The frame limit is the message limit ({@code max_message_bytes}, 64 MiB): a result larger than
 * the official engine's 16 MiB frame limit, sent as one frame, reaches its caller, and the worker
 * that sent it keeps its connection and its other invocations.
 */
class FrameLimitTest extends EngineTestSupport {

  private static final int MIB = 1024 * 1024;
  private static final Duration SLOW = Duration.ofSeconds(30);

  @Test
  void aSeventeenMibResultInOneFrameReachesItsCallerAndTheWorkerStays() {
    RawWorker caller = connect();
    RawWorker handler = connect();
    registerFunction(handler, "big::result");
    String first = uuid();
    String second = uuid();
    caller.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'big::result','data':{}}")
            .formatted(first));
    caller.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'big::result','data':{}}")
            .formatted(second));
    JsonNode firstInvocation = handler.awaitInvocation("big::result");
    JsonNode secondInvocation = handler.awaitInvocation("big::result");

    String large = "r".repeat(17 * MIB);
    handler.reply(firstInvocation, "\"" + large + "\"");
    handler.reply(secondInvocation, "\"small\"");

    JsonNode firstAnswer =
        caller.awaitResult(firstInvocation.path("invocation_id").asString(), SLOW);
    assertThat(firstAnswer.has("error")).as("error %s", firstAnswer.path("error")).isFalse();
    assertThat(firstAnswer.path("result").asString()).hasSize(17 * MIB);
    JsonNode secondAnswer =
        caller.awaitResult(secondInvocation.path("invocation_id").asString(), SLOW);
    assertThat(secondAnswer.path("result").asString()).isEqualTo("small");
    assertThat(handler.isClosed()).isFalse();
    handler.sync();
    assertThat(functionIds(caller, false)).contains("big::result");
  }

  @Test
  void aSingleFrameOverTheMessageLimitClosesOnlyThatConnection() {
    try (EmbeddedEngine small =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .limits(EngineLimits.defaults().withMaxMessageBytes(MIB))
            .build()
            .start()) {
      RawWorker big = RawWorker.connect(small);
      RawWorker other = RawWorker.connect(small);
      registerFunction(other, "small::f");

      big.send(
          json("{'type':'invokefunction','function_id':'small::f','data':'")
              + "x".repeat(MIB + 1)
              + "\"}");

      assertThat(big.awaitClosed(SLOW)).as("oversized frame closes the connection").isTrue();
      assertThat(other.drain()).isEmpty();
      assertThat(functionIds(other, false)).contains("small::f");
      other.abort();
    }
  }
}
