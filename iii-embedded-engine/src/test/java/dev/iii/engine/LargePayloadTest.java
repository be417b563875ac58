package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Proves the engine's message size limits match the official engine's: multi-MiB payloads travel
 * both ways, fragmented messages are joined, and a message over 64 MiB closes only the offending
 * connection. (A single frame may be as large as a message: {@code FrameLimitTest}.)
 */
class LargePayloadTest extends EngineTestSupport {

  private static final int MIB = 1024 * 1024;
  private static final Duration SLOW = Duration.ofSeconds(20);

  @Test
  void fiveMibPayloadTravelsToTheHandlerAndBack() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::big");
    String request = "a".repeat(5 * MIB);
    String response = "b".repeat(5 * MIB);
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::big','data':")
                .formatted(id)
            + "{\"blob\":\""
            + request
            + "\"}}");

    JsonNode invocation = b.awaitInvocation("b::big", SLOW);
    assertThat(invocation.path("data").path("blob").asString()).isEqualTo(request);
    b.reply(invocation, "\"" + response + "\"");

    assertThat(a.awaitResult(id, SLOW).path("result").asString()).isEqualTo(response);
  }

  @Test
  void messageFragmentedIntoFramesBelowTheFrameLimitIsJoined() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::big");
    String id = uuid();
    String message =
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::big','data':'")
                .formatted(id)
            + "f".repeat(20 * MIB)
            + "\"}";

    sendFragmented(a, message, 2);

    JsonNode invocation = b.awaitInvocation("b::big", SLOW);
    assertThat(invocation.path("invocation_id").asString()).isEqualTo(id);
    assertThat(invocation.path("data").asString()).hasSize(20 * MIB);
  }

  @Test
  void messageOverSixtyFourMibClosesOnlyThatConnection() {
    RawWorker big = connect();
    RawWorker b = connect();
    registerFunction(b, "b::f");

    sendFragmented(
        big,
        json("{'type':'invokefunction','function_id':'b::f','data':'")
            + "x".repeat(65 * MIB)
            + "\"}",
        5);

    assertThat(big.awaitClosed(SLOW)).as("oversized message closes the connection").isTrue();
    assertThat(b.drain()).isEmpty();
    assertThat(
            EngineTestSupport.withoutModules(
                b.callResult("engine::functions::list", "{}").path("functions")))
        .hasSize(1);
  }

  /** Sends one text message as the given number of frames (a text frame and continuations). */
  private static void sendFragmented(RawWorker worker, String message, int fragments) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    int size = (bytes.length + fragments - 1) / fragments;
    for (int i = 0; i < fragments; i++) {
      int from = i * size;
      int length = Math.min(size, bytes.length - from);
      boolean last = i == fragments - 1;
      worker.sendFrame(
          i == 0
              ? new TextWebSocketFrame(last, 0, Unpooled.wrappedBuffer(bytes, from, length))
              : new ContinuationWebSocketFrame(
                  last, 0, Unpooled.wrappedBuffer(bytes, from, length)));
    }
  }
}
