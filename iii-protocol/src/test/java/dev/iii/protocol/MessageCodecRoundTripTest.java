package dev.iii.protocol;

import static dev.iii.protocol.Wire.ID;
import static dev.iii.protocol.Wire.TRACEPARENT;
import static dev.iii.protocol.Wire.json;
import static dev.iii.protocol.Wire.raw;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.NullNode;

/** {@code decode(encode(m)).equals(m)} for every message record. */
class MessageCodecRoundTripTest {

  private final MessageCodec codec = MessageCodec.instance();

  static Stream<Message> messages() {
    return Stream.of(
        new RegisterFunction("math::add", "adds", json("{\"v\":1}")),
        new RegisterFunction(
            "ext::hook",
            "HTTP function",
            json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"}}}"),
            json("{\"type\":\"number\"}"),
            json("{\"owner\":\"team\"}"),
            json(
                "{\"url\":\"https://example.com/x\",\"method\":\"POST\",\"timeout_ms\":30000,"
                    + "\"headers\":{\"x-a\":\"b\"},\"auth\":{\"type\":\"hmac\","
                    + "\"secret_key\":\"SECRET\"}}")),
        new RegisterFunction("bare", null, null),
        new UnregisterFunction("math::add"),
        new RegisterService("billing", "billing", null, null),
        new RegisterService("billing.invoices", null, "Invoices", "billing"),
        new RegisterTriggerType("my-webhook", "Webhook trigger"),
        new UnregisterTriggerType("my-webhook"),
        new RegisterTrigger(
            "5b1d7a4e-0c1f-4d5a-9a8e-2f1e3d4c5b6a",
            "cron",
            "jobs::tick",
            json("{\"expression\":\"0 * * * * *\"}")),
        new RegisterTrigger("t", "x", "f", null),
        new RegisterTrigger("t", "x", "f", NullNode.getInstance()),
        new UnregisterTrigger("t", "cron"),
        new UnregisterTrigger("t", null),
        new TriggerRegistrationResult("t", "my-webhook", "hooks::handle", null),
        new TriggerRegistrationResult(
            "t", "x", "f", new ErrorBody("trigger_registration_failed", "bad config")),
        new InvokeFunction(ID, "math::add", raw("{\"a\":1,\"b\":2}"), TRACEPARENT, null, null),
        new InvokeFunction(null, "engine::workers::register", raw("{\"runtime\":\"java\"}")),
        new InvokeFunction(ID, "f", null),
        new InvokeFunction(ID, "f", raw("[1,\"two\",null,{\"x\":[]}]"), null, "k=v", null),
        new InvokeFunction(ID, "f", raw("\"text\""), null, null, InvocationAction.VOID),
        new InvokeFunction(ID, "f", raw("42"), null, null, new InvocationAction("enqueue", "q")),
        InvocationResult.success(ID, "math::add", raw("3")),
        InvocationResult.success(ID, "f", null),
        InvocationResult.success(ID, "f", raw("false")),
        InvocationResult.failure(
            ID, "f", new ErrorBody("function_not_found", "Function f not found")),
        InvocationResult.failure(ID, "f", new ErrorBody("invocation_failed", "boom", "at f()")),
        new InvocationResult(
            ID, "f", raw("{\"a\":1}"), new ErrorBody("c", "m"), TRACEPARENT, "k=v"),
        new WorkerRegistered(ID),
        new WorkerRegistered(ID, "token"),
        new Reattach(ID, "token"),
        new RegistrationRejected("FUNCTION_NAMESPACE_CONFLICT", "default", null, "f", ID),
        new EngineError(new ErrorBody("AUTH_ERROR", "invalid token")),
        new Ping(),
        new Pong());
  }

  @ParameterizedTest
  @MethodSource("messages")
  void decodeOfEncodeIsIdentity(Message message) {
    String frame = codec.encode(message);

    assertThat(codec.decode(frame)).as(frame).isEqualTo(message);
    assertThat(codec.decode(frame.getBytes(StandardCharsets.UTF_8))).isEqualTo(message);
  }

  @ParameterizedTest
  @MethodSource("messages")
  void encodeIsStableAcrossRoundTrips(Message message) {
    String frame = codec.encode(message);

    assertThat(codec.encode(codec.decode(frame))).isEqualTo(frame);
  }

  @Test
  void everyMessageRecordIsCovered() {
    Set<Class<?>> covered = messages().map(Object::getClass).collect(Collectors.toSet());

    assertThat(covered)
        .containsExactlyInAnyOrderElementsOf(Arrays.asList(Message.class.getPermittedSubclasses()));
  }

  @Test
  void everyMessageTypeNameMatchesItsRegisteredTypeId() {
    messages()
        .forEach(m -> assertThat(json(codec.encode(m)).get("type").asString()).isEqualTo(m.type()));
  }
}
