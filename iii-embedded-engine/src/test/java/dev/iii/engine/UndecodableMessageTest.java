package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.InitOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * A message the engine cannot decode still ends the invocation it belongs to: an unreadable {@code
 * invocationresult} fails its caller at once with {@code invalid_result}, an unreadable {@code
 * invokefunction} is answered {@code invalid_message}, and a flood of bad frames is logged once per
 * interval, not once per frame.
 */
class UndecodableMessageTest extends EngineTestSupport {

  /** Far longer than any wait below: a caller that waits for it was not told. */
  private static final Duration CALLER_TIMEOUT = Duration.ofSeconds(60);

  static Stream<Arguments> unreadableResults() {
    return Stream.of(
        Arguments.of("nested 600 deep", "[".repeat(600) + "]".repeat(600) + "}"),
        Arguments.of("a number of 1,001 digits", "1" + "0".repeat(1000) + "}"),
        Arguments.of("cut off", "{\"a\":[1,2,{\"b\":\"c"),
        Arguments.of(
            "nested 600 deep with strings that look like keys",
            "{\"x\":\"\\\"}\",".repeat(1)
                + "\"y\":"
                + "[{\"type\":\"z\"},".repeat(600)
                + "1"
                + "]".repeat(600)
                + "}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableResults")
  void anUnreadableResultFailsItsCallerAtOnce(String what, String resultTail) throws Exception {
    RawWorker handler = connect();
    registerFunction(handler, "bad::result");
    try (III client =
        new III(engine.wsUrl(), InitOptions.builder().invocationTimeout(CALLER_TIMEOUT).build())) {
      client.connect().get();
      CompletableFuture<Object> call = client.call("bad::result", Map.of("q", 1));
      JsonNode invocation = handler.awaitInvocation("bad::result");

      handler.send(
          "{\"type\":\"invocationresult\",\"invocation_id\":\""
              + invocation.path("invocation_id").asString()
              + "\",\"function_id\":\"bad::result\",\"result\":"
              + resultTail);

      await().atMost(Duration.ofSeconds(20)).until(call::isDone);
      assertThatThrownBy(call::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              IIIException.class,
              e -> {
                assertThat(e.code()).isEqualTo("invalid_result");
                assertThat(e.getMessage()).contains("bad::result");
              });
    }
    handler.sync(); // the handler's connection stays
  }

  @Test
  void anUnreadableCallIsAnsweredWithInvalidMessage() {
    RawWorker caller = connect();
    RawWorker handler = connect();
    registerFunction(handler, "bad::call");
    String id = uuid();

    caller.send(
        "{\"type\":\"invokefunction\",\"invocation_id\":\""
            + id
            + "\",\"function_id\":\"bad::call\",\"data\":"
            + "[".repeat(600)
            + "]".repeat(600)
            + "}");

    JsonNode answer = caller.awaitResult(id);
    assertThat(answer.path("function_id").asString()).isEqualTo("bad::call");
    assertThat(answer.path("error").path("code").asString()).isEqualTo("invalid_message");
    assertThat(handler.drain()).isEmpty();
  }

  @Test
  void aFloodOfBadFramesIsLoggedOncePerInterval() {
    RawWorker worker = connect();
    try (EngineLogCapture logs = new EngineLogCapture()) {
      for (int i = 0; i < 50; i++) {
        worker.send("{\"type\":\"registerfunction\",\"id\":" + i + "}");
      }
      worker.sync();
      assertThat(logs.warnings())
          .filteredOn(line -> line.contains("could not decode"))
          .hasSize(1)
          .singleElement()
          .asString()
          .contains("registerfunction");
    }
  }
}
