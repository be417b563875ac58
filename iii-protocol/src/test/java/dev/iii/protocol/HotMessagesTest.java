package dev.iii.protocol;

import static dev.iii.protocol.Wire.ID;
import static dev.iii.protocol.Wire.TRACEPARENT;
import static dev.iii.protocol.Wire.q;
import static dev.iii.protocol.Wire.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming reader and writer of the two call messages ({@link HotMessages}) against data
 * binding, the codec's general path: the same bytes out, the same message (or the same error) in.
 */
class HotMessagesTest {

  private final MessageCodec codec = MessageCodec.instance();

  static Stream<Message> messages() {
    return Stream.of(
        new InvokeFunction(ID, "math::add", raw("{\"a\":1,\"b\":[true,null]}")),
        new InvokeFunction(null, "f", RawJson.NULL),
        new InvokeFunction(
            ID, "gr\u00fc\u00dfe", raw("\"caf\u00e9 \\\"q\\\"\""), TRACEPARENT, "k=v", null),
        new InvokeFunction(ID, "f", raw("42"), null, null, InvocationAction.VOID),
        new InvokeFunction(ID, "f", raw("[]"), null, null, InvocationAction.enqueue("q")),
        new InvokeFunction(
            ID, "f", raw("1"), TRACEPARENT, null, null, raw("{\"tenant\":\"t1\"}"), "orders"),
        new InvokeFunction(null, "f", raw("1"), null, null, InvocationAction.VOID, raw("[]"), null),
        InvocationResult.success(ID, "f", raw("{\"sum\":3}")),
        InvocationResult.success(ID, "f", null),
        InvocationResult.failure(ID, "f", new ErrorBody("invocation_failed", "boom", "at f()\n")),
        new InvocationResult(ID, "f", raw("1"), new ErrorBody("c", "m\u00e9"), TRACEPARENT, "b"));
  }

  @ParameterizedTest
  @MethodSource("messages")
  void writesWhatDataBindingWrites(Message message) {
    assertThat(new String(codec.encodeToBytes(message), StandardCharsets.UTF_8))
        .isEqualTo(codec.encodeWithDataBinding(message));
  }

  @ParameterizedTest
  @MethodSource("messages")
  void readsWhatItWrites(Message message) {
    assertThat(codec.decode(codec.encodeToBytes(message))).isEqualTo(message);
  }

  static Stream<String> frames() {
    String id = "'invocation_id':'" + ID + "'";
    return Stream.of(
        "{'type':'invokefunction'," + id + ",'function_id':'f','data':{'a':1}}",
        "{'type':'invokefunction','function_id':'f','data':null,'metadata':{'m':[1]},'x':1}",
        "{'type':'invokefunction'," + id + ",'function_id':'f','data':1,'action':{'type':'void'}}",
        "{'type':'invokefunction','function_id':'f','data':1,'action':{'type':'enqueue','queue':'q','x':{}}}",
        "{'type':'invokefunction','function_id':'f','data':1,'action':null,'traceparent':null}",
        "{'type':'invokefunction','function_id':'f','data':1,'metadata':null,'namespace':null}",
        "{'type':'invokefunction','function_id':'f','data':1,'metadata':{'a':1},'namespace':'n'}",
        "{'type':'invokefunction','function_id':'f','data':1,'namespace':3}",
        "{'type':'invokefunction','function_id':'f','data':1,'metadata':1,'metadata':2}",
        "{ 'type' : 'invokefunction' , 'function_id' : 'f' , 'data' : [ 1 , 2 ] }",
        "{'type':'invokefunction','function_id':'f','data':1,'data':2}",
        "{'type':'invokefunction','function_id':'f'}",
        "{'type':'invokefunction','data':1}",
        "{'type':'invokefunction','function_id':7,'data':1}",
        "{'type':'invokefunction','function_id':'f','data':1,'invocation_id':'not-a-uuid'}",
        "{'type':'invokefunction','function_id':'f','data':1,'invocation_id':7}",
        "{'type':'invokefunction','function_id':'f','data':1,'action':'void'}",
        "{'type':'invokefunction','function_id':'f','data':1,'action':{'queue':'q'}}",
        "{'type':'invokefunction','function_id':'f','data':1,'traceparent':false}",
        "{'type':'invokefunction','function_id':'f','data':1,'type':'ping'}",
        "{'function_id':'f','data':{'a':1},'type':'invokefunction'}",
        "{'type':'invokefunction','function_id':'f','data':{'a':",
        "{'type':'invocationresult'," + id + ",'function_id':'f','result':{'r':[1,2]}}",
        "{'type':'invocationresult'," + id + ",'function_id':'f','result':null}",
        "{'type':'invocationresult'," + id + ",'function_id':'f'}",
        "{'type':'invocationresult',"
            + id
            + ",'function_id':'f','error':{'code':'c','message':'m','stacktrace':null,'x':1}}",
        "{'type':'invocationresult'," + id + ",'function_id':'f','error':{'code':'c'}}",
        "{'type':'invocationresult'," + id + ",'function_id':'f','error':{'code':1,'message':'m'}}",
        "{'type':'invocationresult'," + id + ",'function_id':'f','error':'boom'}",
        "{'type':'invocationresult','function_id':'f','result':1}",
        "{'type':'invocationresult','invocation_id':null,'function_id':'f','result':1}",
        "{'type':'invocationresult',"
            + id
            + ",'function_id':'f','result':1,'baggage':'b','trace':7}",
        "{'type':'invocationresult','invocation_id':'"
            + ID.toUpperCase(java.util.Locale.ROOT)
            + "','function_id':'f','result':1}",
        "{'type':'registerfunction','id':'f'}",
        "{'type':'ping'}");
  }

  @ParameterizedTest
  @MethodSource("frames")
  void readsWhatDataBindingReadsAndFailsAsItFails(String singleQuoted) {
    byte[] frame = q(singleQuoted).getBytes(StandardCharsets.UTF_8);

    Throwable expectedError = catchThrowable(() -> codec.decodeWithDataBinding(frame));
    Throwable actualError = catchThrowable(() -> codec.decode(frame));

    if (expectedError == null) {
      assertThat(actualError).isNull();
      assertThat(codec.decode(frame)).isEqualTo(codec.decodeWithDataBinding(frame));
    } else {
      assertThat(actualError)
          .isInstanceOf(ProtocolException.class)
          .hasMessage(expectedError.getMessage());
    }
  }
}
