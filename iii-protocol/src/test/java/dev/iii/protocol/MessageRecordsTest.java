package dev.iii.protocol;

import static dev.iii.protocol.Wire.ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.NullNode;

/** Construction rules of the message records (defaults, validation, helpers). */
class MessageRecordsTest {

  @Test
  void invokeFunctionDefaultsDataToTheNullPayload() {
    assertThat(new InvokeFunction(ID, "f", null).data()).isSameAs(RawJson.NULL);
  }

  @Test
  void registerTriggerDefaultsConfigToNullNode() {
    assertThat(new RegisterTrigger("t", "x", "f", null).config()).isSameAs(NullNode.getInstance());
  }

  @Test
  void invokeFunctionRejectsNonUuidIds() {
    assertThatIllegalArgumentException().isThrownBy(() -> new InvokeFunction("abc", "f", null));
  }

  @Test
  void invocationResultRequiresAUuid() {
    assertThatNullPointerException().isThrownBy(() -> InvocationResult.success(null, "f", null));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InvocationResult.success("abc", "f", null));
  }

  @Test
  void invocationIdsAreNormalisedOnConstruction() {
    assertThat(new InvokeFunction(ID.toUpperCase(java.util.Locale.ROOT), "f", null).invocationId())
        .isEqualTo(ID);
    assertThat(InvocationResult.success(ID.replace("-", ""), "f", null).invocationId())
        .isEqualTo(ID);
  }

  @Test
  void errorBodyRequiresCodeAndMessage() {
    assertThatNullPointerException().isThrownBy(() -> new ErrorBody(null, "m"));
    assertThatNullPointerException().isThrownBy(() -> new ErrorBody("c", null));
    assertThat(new ErrorBody("c", "m").stacktrace()).isNull();
  }

  @Test
  void expectsResultNeedsAnIdAndNoVoidAction() {
    var data = RawJson.EMPTY_OBJECT;

    assertThat(new InvokeFunction(ID, "f", data).expectsResult()).isTrue();
    assertThat(new InvokeFunction(null, "f", data).expectsResult()).isFalse();
    assertThat(new InvokeFunction(ID, "f", data, null, null, InvocationAction.VOID).expectsResult())
        .isFalse();
    assertThat(
            new InvokeFunction(ID, "f", data, null, null, new InvocationAction("enqueue", "q"))
                .expectsResult())
        .isTrue();
  }

  @Test
  void typeNamesAreTheLowerCaseWireTags() {
    assertThat(new RegisterFunction("f", null, null).type()).isEqualTo("registerfunction");
    assertThat(new UnregisterFunction("f").type()).isEqualTo("unregisterfunction");
    assertThat(new RegisterService("s", "s", null, null).type()).isEqualTo("registerservice");
    assertThat(new RegisterTriggerType("t", "d").type()).isEqualTo("registertriggertype");
    assertThat(new UnregisterTriggerType("t").type()).isEqualTo("unregistertriggertype");
    assertThat(new RegisterTrigger("t", "x", "f", null).type()).isEqualTo("registertrigger");
    assertThat(new UnregisterTrigger("t", null).type()).isEqualTo("unregistertrigger");
    assertThat(new TriggerRegistrationResult("t", "x", "f", null).type())
        .isEqualTo("triggerregistrationresult");
    assertThat(new InvokeFunction(null, "f", null).type()).isEqualTo("invokefunction");
    assertThat(InvocationResult.success(ID, "f", null).type()).isEqualTo("invocationresult");
    assertThat(new WorkerRegistered(ID).type()).isEqualTo("workerregistered");
    assertThat(new Ping().type()).isEqualTo("ping");
    assertThat(new Pong().type()).isEqualTo("pong");
  }

  @Test
  void codecIsASingleton() {
    assertThat(MessageCodec.instance()).isSameAs(MessageCodec.instance());
  }
}
