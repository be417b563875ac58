package dev.iii.protocol;

import static dev.iii.protocol.Wire.ID;
import static dev.iii.protocol.Wire.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames the official engine fails to decode must fail here too (worker-protocol.md §2, §3). */
class MessageCodecDecodeFailureTest {

  private final MessageCodec codec = MessageCodec.instance();

  private ProtocolException failure(String frame) {
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> codec.decode(frame));
    assertThat(e).as("decode(%s) must throw ProtocolException", frame).isNotNull();
    return e;
  }

  // --- unknown type --------------------------------------------------------------------------

  static Stream<Arguments> unknownTypes() {
    return Stream.of(
        Arguments.of("{'type':'InvokeFunction','function_id':'f','data':null}"),
        Arguments.of("{'type':'INVOKEFUNCTION','function_id':'f','data':null}"),
        Arguments.of("{'type':'Ping'}"),
        Arguments.of("{'type':'detach','previous_worker_id':'" + ID + "','reattach_token':'tok'}"),
        Arguments.of("{'type':'invoke_function','function_id':'f','data':null}"),
        Arguments.of("{'type':'','id':'x'}"));
  }

  @ParameterizedTest
  @MethodSource("unknownTypes")
  void unknownTypeIsReportedAsUnknown(String frame) {
    ProtocolException e = failure(q(frame));

    assertThat(e.isUnknownType()).isTrue();
  }

  // --- not a message object ------------------------------------------------------------------

  @Test
  void missingTypeFails() {
    ProtocolException e = failure(q("{'id':'math::add','description':'adds'}"));

    // A frame without a tag is malformed, not "a type this side does not know" (see the
    // ProtocolException#isUnknownType contract); serde reports "missing field `type`".
    assertThat(e.isUnknownType()).isFalse();
  }

  @Test
  void nullTypeFails() {
    ProtocolException e = failure(q("{'type':null,'id':'x'}"));

    assertThat(e.isUnknownType()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{",
        "{\"type\":\"ping\"",
        "{\"type\":\"ping\",}",
        "{type:\"ping\"}",
        "{'type':'ping'}",
        "nul",
        "ping",
        "{\"type\":\"ping\"} x",
        "{\"type\":\"ping\"}{\"type\":\"pong\"}",
        "",
        "   ",
        "{\"type\":\"invokefunction\",\"function_id\":\"f\",\"data\":NaN}"
      })
  void invalidJsonFails(String frame) {
    ProtocolException e = failure(frame);

    assertThat(e.isUnknownType()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"type\":\"ping\"}]", "[1,2]", "\"ping\"", "42", "true"})
  void nonObjectJsonFails(String frame) {
    ProtocolException e = failure(frame);

    assertThat(e.isUnknownType()).isFalse();
  }

  @Test
  void jsonNullLiteralFails() {
    // serde: "invalid type: null, expected internally tagged enum Message". decode must never
    // hand a null Message to the router.
    failure("null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[\"ping\"]", "[\"ping\",{}]", "[\"invokefunction\"]"})
  void arrayFramesNeverDecodeToNull(String frame) {
    Message decoded;
    try {
      decoded = codec.decode(frame);
    } catch (ProtocolException expected) {
      return;
    }
    assertThat(decoded).as("decode(%s)", frame).isNotNull();
  }

  // --- missing required fields ---------------------------------------------------------------

  static Stream<Arguments> missingRequiredFields() {
    return Stream.of(
        Arguments.of("invokefunction without data", "{'type':'invokefunction','function_id':'f'}"),
        Arguments.of(
            "invokefunction without function_id",
            "{'type':'invokefunction','invocation_id':'" + ID + "','data':1}"),
        Arguments.of(
            "registertrigger without config",
            "{'type':'registertrigger','id':'t','trigger_type':'cron','function_id':'f'}"),
        Arguments.of(
            "registertrigger without trigger_type",
            "{'type':'registertrigger','id':'t','function_id':'f','config':{}}"),
        Arguments.of(
            "registertrigger without function_id",
            "{'type':'registertrigger','id':'t','trigger_type':'cron','config':{}}"),
        Arguments.of(
            "registertrigger without id",
            "{'type':'registertrigger','trigger_type':'cron','function_id':'f','config':{}}"),
        Arguments.of(
            "registertriggertype without description", "{'type':'registertriggertype','id':'t'}"),
        Arguments.of(
            "registertriggertype without id", "{'type':'registertriggertype','description':'d'}"),
        Arguments.of("unregistertriggertype without id", "{'type':'unregistertriggertype'}"),
        Arguments.of(
            "invocationresult without function_id",
            "{'type':'invocationresult','invocation_id':'" + ID + "','result':1}"),
        Arguments.of(
            "invocationresult without invocation_id",
            "{'type':'invocationresult','function_id':'f','result':1}"),
        Arguments.of(
            "error without message",
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','error':{'code':'invocation_failed'}}"),
        Arguments.of(
            "error without code",
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','error':{'message':'boom'}}"),
        Arguments.of(
            "triggerregistrationresult error without message",
            "{'type':'triggerregistrationresult','id':'t','trigger_type':'x','function_id':'f',"
                + "'error':{'code':'c'}}"),
        Arguments.of(
            "triggerregistrationresult without function_id",
            "{'type':'triggerregistrationresult','id':'t','trigger_type':'x'}"),
        Arguments.of(
            "registerfunction without id", "{'type':'registerfunction','description':'d'}"),
        Arguments.of("unregisterfunction without id", "{'type':'unregisterfunction'}"),
        Arguments.of("registerservice without id", "{'type':'registerservice','name':'n'}"),
        Arguments.of("unregistertrigger without id", "{'type':'unregistertrigger'}"),
        Arguments.of("workerregistered without worker_id", "{'type':'workerregistered'}"),
        Arguments.of(
            "action without type",
            "{'type':'invokefunction','function_id':'f','data':1,'action':{'queue':'q'}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missingRequiredFields")
  void missingRequiredFieldFails(String name, String frame) {
    ProtocolException e = failure(q(frame));

    assertThat(e.isUnknownType()).isFalse();
  }

  @Test
  void explicitNullDataAndConfigAreAccepted() {
    // §2: "An explicit null is accepted for both".
    assertThat(codec.decode(q("{'type':'invokefunction','function_id':'f','data':null}")))
        .isInstanceOf(InvokeFunction.class);
    assertThat(
            codec.decode(
                q(
                    "{'type':'registertrigger','id':'t','trigger_type':'cron','function_id':'f',"
                        + "'config':null}")))
        .isInstanceOf(RegisterTrigger.class);
  }

  // --- explicit null / wrong JSON type in a required string ------------------------------------

  static Stream<Arguments> nullInRequiredString() {
    // serde: a non-Option String field rejects null ("invalid type: null, expected a string").
    return Stream.of(
        Arguments.of("{'type':'invokefunction','function_id':null,'data':1}"),
        Arguments.of("{'type':'invocationresult','invocation_id':'" + ID + "','function_id':null}"),
        Arguments.of("{'type':'invocationresult','invocation_id':null,'function_id':'f'}"),
        Arguments.of("{'type':'registertriggertype','id':'t','description':null}"),
        Arguments.of("{'type':'registertriggertype','id':null,'description':'d'}"),
        Arguments.of(
            "{'type':'registertrigger','id':'t','trigger_type':null,'function_id':'f',"
                + "'config':{}}"),
        Arguments.of("{'type':'registerfunction','id':null}"),
        Arguments.of("{'type':'unregisterfunction','id':null}"),
        Arguments.of("{'type':'registerservice','id':null,'name':'n'}"),
        Arguments.of("{'type':'unregistertrigger','id':null}"),
        Arguments.of("{'type':'unregistertriggertype','id':null}"),
        Arguments.of("{'type':'workerregistered','worker_id':null}"),
        Arguments.of(
            "{'type':'triggerregistrationresult','id':'t','trigger_type':'x','function_id':null}"),
        Arguments.of(
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','error':{'code':null,'message':'m'}}"),
        Arguments.of(
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','error':{'code':'c','message':null}}"));
  }

  @ParameterizedTest
  @MethodSource("nullInRequiredString")
  void explicitNullInRequiredStringFails(String frame) {
    failure(q(frame));
  }

  static Stream<Arguments> nonStringScalarInStringField() {
    // serde_json never coerces numbers or booleans into a String field.
    return Stream.of(
        Arguments.of(
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','error':{'code':404,'message':'not found'}}"),
        Arguments.of(
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','error':{'code':'c','message':false}}"),
        Arguments.of("{'type':'invokefunction','function_id':123,'data':1}"),
        Arguments.of("{'type':'registerfunction','id':'f','description':1.5}"),
        Arguments.of("{'type':'workerregistered','worker_id':7}"));
  }

  @ParameterizedTest
  @MethodSource("nonStringScalarInStringField")
  void nonStringScalarInStringFieldFails(String frame) {
    failure(q(frame));
  }

  // --- error object shape ------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"'boom'", "''", "[]", "42", "true", "{}"})
  void errorThatIsNotACodeAndMessageObjectFails(String error) {
    failure(
        q(
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','error':"
                + error
                + "}"));
  }

  @Test
  void errorStringFailsOnTriggerRegistrationResultToo() {
    failure(
        q(
            "{'type':'triggerregistrationresult','id':'t','trigger_type':'x','function_id':'f',"
                + "'error':'boom'}"));
  }

  // --- invocation_id must be a UUID ------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "7c0e…",
        "not-a-uuid",
        "",
        "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f",
        "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6a",
        "7c0e8f3a1b2c4d5e8f90a1b2c3d4e5f",
        "7c0e8f3a1b2c4d5e8f90a1b2c3d4e5f6a",
        "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5fg",
        "7c0e8f3a1b2c4d5e8f90a1b2c3d4e5fg",
        "7c0e8f3a_1b2c_4d5e_8f90_a1b2c3d4e5f6",
        "7c0e8f3a-1b2c4d5e-8f90-a1b2-c3d4e5f6",
        "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4-5f6",
        "7c0e8f3a-1b2c-4d5e-8f90--1b2c3d4e5f6",
        " 7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6",
        "{7c0e8f3a1b2c4d5e8f90a1b2c3d4e5f6}",
        "urn:uuid:7c0e8f3a1b2c4d5e8f90a1b2c3d4e5f6"
      })
  void nonUuidInvocationIdFailsTheWholeMessage(String id) {
    failure(q("{'type':'invokefunction','invocation_id':'" + id + "','function_id':'f','data':1}"));
    failure(q("{'type':'invocationresult','invocation_id':'" + id + "','function_id':'f'}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"123", "true", "{}", "[]"})
  void nonStringInvocationIdFails(String id) {
    failure(q("{'type':'invokefunction','invocation_id':" + id + ",'function_id':'f','data':1}"));
  }

  // --- binary -----------------------------------------------------------------------------------

  @Test
  void binaryFrameFailuresAreProtocolExceptionsToo() {
    assertThat(
            catchThrowableOfType(
                ProtocolException.class,
                () -> codec.decode("{\"type\":\"detach\"}".getBytes(StandardCharsets.UTF_8))))
        .isNotNull()
        .extracting(ProtocolException::isUnknownType)
        .isEqualTo(true);
    assertThat(
            catchThrowableOfType(
                ProtocolException.class,
                () -> codec.decode("{\"type\":".getBytes(StandardCharsets.UTF_8))))
        .isNotNull();
    assertThat(catchThrowableOfType(ProtocolException.class, () -> codec.decode(new byte[0])))
        .isNotNull();
  }
}
