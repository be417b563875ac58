package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Proves how {@code invokefunction} travels from caller to handler and how {@code invocationresult}
 * travels back: same invocation id end to end, {@code _caller_worker_id} injection, verbatim
 * errors, fire-and-forget, {@code void}, unknown functions, handler loss and invocation id
 * normalisation.
 */
class InvocationRoutingTest extends EngineTestSupport {

  @Test
  void callIsForwardedToTheHandlerAndItsResultBackToTheCaller() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::echo");
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':{'x':1}}")
            .formatted(id));

    JsonNode invocation = b.awaitInvocation("b::echo");
    assertThat(keys(invocation)).containsExactly("type", "invocation_id", "function_id", "data");
    assertThat(invocation.path("invocation_id").asString()).isEqualTo(id);
    assertThat(invocation.path("data"))
        .isEqualTo(parse(json("{'x':1,'_caller_worker_id':'%s'}").formatted(a.workerId())));

    b.reply(invocation, json("{'y':2}"));

    JsonNode result = a.awaitResult(id);
    assertThat(keys(result)).containsExactly("type", "invocation_id", "function_id", "result");
    assertThat(result)
        .isEqualTo(
            parse(
                json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::echo',"
                        + "'result':{'y':2}}")
                    .formatted(id)));
  }

  @Test
  void callerIdOverwritesAValueTheCallerSentItself() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::echo");

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo',"
                + "'data':{'_caller_worker_id':'spoofed'}}")
            .formatted(uuid()));

    assertThat(b.awaitInvocation("b::echo").path("data").path("_caller_worker_id").asString())
        .isEqualTo(a.workerId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2]", "\"text\"", "null", "42", "true"})
  void nonObjectDataIsForwardedUntouched(String data) {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::echo");

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':%s}")
            .formatted(uuid(), data));

    JsonNode invocation = b.awaitInvocation("b::echo");
    assertThat(invocation.has("data")).isTrue();
    assertThat(invocation.get("data")).isEqualTo(parse(data));
  }

  @Test
  void traceContextReachesTheHandler() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::echo");
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':{},"
                + "'traceparent':'%s','baggage':'k=v'}")
            .formatted(uuid(), traceparent));

    JsonNode invocation = b.awaitInvocation("b::echo");
    assertThat(invocation.path("traceparent").asString()).isEqualTo(traceparent);
    assertThat(invocation.path("baggage").asString()).isEqualTo("k=v");
  }

  @Test
  void handlerErrorIsPassedThroughVerbatim() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::fail");
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::fail','data':{}}")
            .formatted(id));
    JsonNode invocation = b.awaitInvocation("b::fail");
    b.send(
        json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::fail',"
                + "'error':{'code':'my_code','message':'it broke','stacktrace':'at x.y(z)'}}")
            .formatted(invocation.path("invocation_id").asString()));

    JsonNode result = a.awaitResult(id);
    assertThat(keys(result)).containsExactly("type", "invocation_id", "function_id", "error");
    assertThat(result.path("error"))
        .isEqualTo(parse(json("{'code':'my_code','message':'it broke','stacktrace':'at x.y(z)'}")));
  }

  @Test
  void errorWinsWhenAResultCarriesBoth() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::both");
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::both','data':{}}")
            .formatted(id));
    b.awaitInvocation("b::both");
    b.send(
        json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::both',"
                + "'result':{'ok':true},'error':{'code':'invocation_failed','message':'boom'}}")
            .formatted(id));

    JsonNode result = a.awaitResult(id);
    assertThat(result.has("result")).isFalse();
    assertThat(result.path("error"))
        .isEqualTo(parse(json("{'code':'invocation_failed','message':'boom'}")));
  }

  @Test
  void resultIsOmittedWhenTheHandlerReturnsNothing() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::void");
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::void','data':{}}")
            .formatted(id));
    b.awaitInvocation("b::void");
    b.send(
        json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::void'}")
            .formatted(id));

    assertThat(keys(a.awaitResult(id))).containsExactly("type", "invocation_id", "function_id");
  }

  @Test
  void explicitNullResultIsTheSameAsNoResult() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::void");
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::void','data':{}}")
            .formatted(id));
    b.awaitInvocation("b::void");
    b.send(
        json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::void',"
                + "'result':null}")
            .formatted(id));

    // Engine 0.8.3 reads `null` as "no result" (Option<Value>) and omits the key when writing.
    assertThat(keys(a.awaitResult(id))).containsExactly("type", "invocation_id", "function_id");
  }

  @Test
  void resultsAreCorrelatedByIdWhateverTheirOrder() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::echo");
    String first = uuid();
    String second = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':1}")
            .formatted(first));
    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':2}")
            .formatted(second));
    JsonNode call1 = b.awaitMessage(m -> m.path("data").asInt() == 1);
    JsonNode call2 = b.awaitMessage(m -> m.path("data").asInt() == 2);
    b.reply(call2, "\"two\"");
    b.reply(call1, "\"one\"");

    assertThat(a.awaitResult(second).path("result").asString()).isEqualTo("two");
    assertThat(a.awaitResult(first).path("result").asString()).isEqualTo("one");
  }

  @Test
  void anyConnectionMayAnswerAnInvocation() {
    RawWorker a = connect();
    RawWorker b = connect();
    RawWorker c = connect();
    registerFunction(b, "b::echo");
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':{}}")
            .formatted(id));
    JsonNode invocation = b.awaitInvocation("b::echo");
    c.reply(invocation, "\"from c\"");

    assertThat(a.awaitResult(id).path("result").asString()).isEqualTo("from c");
  }

  @Test
  void reusingAnInFlightIdEndsTheEarlierCallWithInvocationError() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::echo");
    String id = uuid();
    String call =
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':{}}")
            .formatted(id);

    a.send(call);
    b.awaitInvocation("b::echo");
    a.send(call);
    JsonNode second = b.awaitInvocation("b::echo");

    assertThat(a.awaitResult(id).path("error"))
        .isEqualTo(parse(json("{'code':'invocation_error','message':'channel closed'}")));
    b.reply(second, "\"done\"");
    assertThat(a.awaitResult(id).path("result").asString()).isEqualTo("done");
  }

  @Test
  void fireAndForgetStillReachesTheHandlerWithAnIdButNeverAnswersTheCaller() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::log");

    a.send(json("{'type':'invokefunction','function_id':'b::log','data':{'n':1}}"));
    a.send(
        json(
            "{'type':'invokefunction','invocation_id':null,'function_id':'b::log','data':{'n':2}}"));

    for (int n = 1; n <= 2; n++) {
      int expected = n;
      JsonNode invocation = b.awaitMessage(m -> m.path("data").path("n").asInt() == expected);
      assertThat(invocation.path("function_id").asString()).isEqualTo("b::log");
      assertThat(invocation.path("invocation_id").asString()).matches(UUID_PATTERN);
      b.reply(invocation, "{\"ignored\":true}");
    }
    b.sync();

    assertThat(a.drain()).isEmpty();
  }

  @Test
  void voidActionRunsTheHandlerButNeverAnswers() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::log");
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::log','data':{},"
                + "'action':{'type':'void'}}")
            .formatted(id));

    JsonNode invocation = b.awaitInvocation("b::log");
    assertThat(invocation.path("invocation_id").asString()).matches(UUID_PATTERN);
    b.reply(invocation, "{\"ignored\":true}");
    b.sync();

    assertThat(a.drain()).isEmpty();
  }

  @Test
  void unknownFunctionGivesFunctionNotFound() {
    RawWorker a = connect();
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'nope::x','data':{}}")
            .formatted(id));

    assertThat(a.awaitResult(id))
        .isEqualTo(
            parse(
                json("{'type':'invocationresult','invocation_id':'%s','function_id':'nope::x',"
                        + "'error':{'code':'function_not_found',"
                        + "'message':'Function nope::x not found'}}")
                    .formatted(id)));
  }

  @Test
  void fireAndForgetToAnUnknownFunctionIsSilent() {
    RawWorker a = connect();

    a.send(json("{'type':'invokefunction','function_id':'nope::x','data':{}}"));

    assertThat(a.drain()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"close", "abort"})
  void handlerDisconnectingMidCallStopsTheCallAndRemovesItsFunctions(String how) {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::slow");
    String id = uuid();
    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::slow','data':{}}")
            .formatted(id));
    b.awaitInvocation("b::slow");

    if (how.equals("close")) {
      b.close();
    } else {
      b.abort();
    }

    assertThat(a.awaitResult(id, Duration.ofSeconds(2)))
        .isEqualTo(
            parse(
                json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::slow',"
                        + "'error':{'code':'invocation_stopped','message':'Invocation stopped'}}")
                    .formatted(id)));
    assertThat(functionIds(a, false)).doesNotContain("b::slow");
    awaitDisconnected(a, b);
    JsonNode again = a.call("b::slow", "{}");
    assertThat(again.path("error").path("code").asString()).isEqualTo("function_not_found");
  }

  @Test
  void callerDisconnectingMidCallLeavesTheHandlerUnharmed() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::slow");
    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::slow','data':{}}")
            .formatted(uuid()));
    JsonNode invocation = b.awaitInvocation("b::slow");

    a.abort();
    b.reply(invocation, "\"late\"");

    assertThat(b.drain()).isEmpty();
    assertThat(functionIds(b, false)).contains("b::slow");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0AF7651916CD43DD8448EB211C80319C", "0AF76519-16CD-43DD-8448-EB211C80319C"})
  void invocationIdsAreAcceptedInEveryUuidFormAndEchoedLowerCaseHyphenated(String sent) {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::echo");
    String canonical = "0af76519-16cd-43dd-8448-eb211c80319c";

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':{}}")
            .formatted(sent));

    JsonNode invocation = b.awaitInvocation("b::echo");
    assertThat(invocation.path("invocation_id").asString()).isEqualTo(canonical);
    // The handler may answer with the id in any UUID form too.
    b.send(
        json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::echo',"
                + "'result':1}")
            .formatted(sent));
    assertThat(a.awaitResult(canonical).path("result").asInt()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-uuid", "12345", "0af7651916cd43dd8448eb211c80319", ""})
  void nonUuidInvocationIdDropsTheMessageButKeepsTheConnection(String sent) {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::echo");

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':{}}")
            .formatted(sent));

    assertThat(a.drain()).isEmpty();
    assertThat(b.drain()).isEmpty();
    assertThat(a.callResult("engine::functions::list", "{}").has("functions")).isTrue();
  }

  @Test
  void aWorkerCanCallItsOwnFunction() {
    RawWorker a = connect();
    registerFunction(a, "a::self");
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'a::self','data':{}}")
            .formatted(id));
    JsonNode invocation = a.awaitInvocation("a::self");
    assertThat(invocation.path("data").path("_caller_worker_id").asString())
        .isEqualTo(a.workerId());
    a.reply(invocation, "\"me\"");

    assertThat(a.awaitResult(id).path("result").asString()).isEqualTo("me");
  }

  @Test
  void activeInvocationsAreCountedWhilePendingAndReleasedAfterwards() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::f");
    String id = uuid();
    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::f','data':{}}")
            .formatted(id));
    a.send(json("{'type':'invokefunction','function_id':'b::f','data':{}}"));
    JsonNode call = b.awaitInvocation("b::f");
    JsonNode fireAndForget = b.awaitInvocation("b::f");

    assertThat(activeInvocations(a, b)).isEqualTo(2);
    assertThat(activeInvocations(a, a)).isPositive();

    b.reply(call, "1");
    b.reply(fireAndForget, "2");
    a.awaitResult(id);
    b.sync();
    assertThat(activeInvocations(a, b)).isZero();
    assertThat(activeInvocations(b, a)).isZero();
  }

  private static int activeInvocations(RawWorker caller, RawWorker of) {
    return caller
        .callResult("engine::workers::list", json("{'worker_id':'%s'}").formatted(of.workerId()))
        .path("workers")
        .get(0)
        .path("active_invocations")
        .asInt();
  }

  @Test
  void manyConcurrentCallsAllComeBack() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::echo");
    List<String> ids = java.util.stream.IntStream.range(0, 200).mapToObj(i -> uuid()).toList();

    for (int i = 0; i < ids.size(); i++) {
      a.send(
          json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::echo','data':%d}")
              .formatted(ids.get(i), i));
    }
    for (int i = 0; i < ids.size(); i++) {
      b.reply(b.awaitInvocation("b::echo"), Integer.toString(i));
    }

    for (String id : ids) {
      assertThat(a.awaitResult(id).has("result")).isTrue();
    }
  }

  static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
}
