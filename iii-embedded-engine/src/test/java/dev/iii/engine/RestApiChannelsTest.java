package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.engine.ChannelEndpointTest.ChannelSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The channels of an HTTP request are built only when used: the function gets both refs, but a
 * channel exists only once a worker connects to it, and whatever is left is forgotten when the
 * response is decided. The function here is a raw worker, so each test decides exactly when the
 * function answers and when a channel end is opened.
 */
class RestApiChannelsTest extends RestApiSupportTest {

  @Test
  void refsTheFunctionNeverOpensAreForgottenWithTheRequest() throws Exception {
    RawWorker fn = httpFunction("GET", "unused", "raw::unused");
    CompletableFuture<HttpResponse<String>> response = sendAsync(request("/unused").GET().build());

    JsonNode invocation = fn.awaitInvocation("raw::unused");
    JsonNode data = invocation.path("data");
    assertThat(keys(data.path("request_body")))
        .containsExactly("channel_id", "access_key", "direction");
    assertThat(data.path("request_body").path("direction").asString()).isEqualTo("read");
    assertThat(data.path("response").path("direction").asString()).isEqualTo("write");
    assertThat(engine.channelRegistry().size()).isEqualTo(2);
    fn.reply(invocation, json("{'status_code':200,'body':'done'}"));

    assertThat(response.get(HTTP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).body())
        .isEqualTo("\"done\"");
    await().atMost(HTTP_TIMEOUT).until(() -> engine.channelRegistry().size() == 0);
    assertThat(openStatus(data.path("response"), "write")).isEqualTo(404);
    assertThat(openStatus(data.path("request_body"), "read")).isEqualTo(404);
  }

  @Test
  void aStreamedBodyTheFunctionNeverReadsIsForgottenWithTheRequest() throws Exception {
    RawWorker fn = httpFunction("PUT", "upload", "raw::upload");
    CompletableFuture<HttpResponse<String>> response =
        sendAsync(
            request("/upload")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1000]))
                .build());

    fn.reply(fn.awaitInvocation("raw::upload"), json("{'status_code':204}"));

    assertThat(response.get(HTTP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode())
        .isEqualTo(204);
    await().atMost(HTTP_TIMEOUT).until(() -> engine.channelRegistry().size() == 0);
  }

  @Test
  void aResponseWriterOpenedAfterTheFunctionReturnedNullStillStreamsTheResponse() throws Exception {
    RawWorker fn = httpFunction("GET", "late", "raw::late");
    CompletableFuture<HttpResponse<String>> response = sendAsync(request("/late").GET().build());
    JsonNode invocation = fn.awaitInvocation("raw::late");
    JsonNode ref = invocation.path("data").path("response");

    fn.reply(invocation, "null"); // streaming mode: the response channel decides
    fn.sync(); // the engine has handled the null result
    try (ChannelSocket writer = ChannelSocket.open(url(ref, "write"))) {
      writer.sendText(json("{'type':'set_status','status_code':201}"));
      writer.sendBinary("late body");
      writer.end();

      HttpResponse<String> answer = response.get(HTTP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(answer.body()).isEqualTo("late body");
    }
    await().atMost(HTTP_TIMEOUT).until(() -> engine.channelRegistry().size() == 0);
  }

  @Test
  void aResponseWriterOpenedAfterADirectResultIsNotFound() throws Exception {
    RawWorker fn = httpFunction("GET", "direct", "raw::direct");
    CompletableFuture<HttpResponse<String>> response = sendAsync(request("/direct").GET().build());
    JsonNode invocation = fn.awaitInvocation("raw::direct");

    fn.reply(invocation, json("{'body':1}"));
    assertThat(response.get(HTTP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).body()).isEqualTo("1");

    assertThat(openStatus(invocation.path("data").path("response"), "write")).isEqualTo(404);
  }

  @Test
  void theResponseRefOpenedForReadingIsRefusedAndTheResultStillDecides() throws Exception {
    RawWorker fn = httpFunction("GET", "misuse", "raw::misuse");
    CompletableFuture<HttpResponse<String>> response = sendAsync(request("/misuse").GET().build());
    JsonNode invocation = fn.awaitInvocation("raw::misuse");

    // The response ref is a writer's: its key does not open the reading end (the engine's).
    assertThat(openStatus(invocation.path("data").path("response"), "read")).isEqualTo(404);
    fn.reply(invocation, json("{'status_code':202}"));

    assertThat(response.get(HTTP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode())
        .isEqualTo(202);
  }

  @Test
  void theRequestBodyOfARequestWithoutABodyEndsWithoutData() throws Exception {
    RawWorker fn = httpFunction("GET", "nobody", "raw::nobody");
    CompletableFuture<HttpResponse<String>> response = sendAsync(request("/nobody").GET().build());
    JsonNode invocation = fn.awaitInvocation("raw::nobody");

    try (ChannelSocket reader =
        ChannelSocket.open(url(invocation.path("data").path("request_body"), "read"))) {
      reader.awaitClose();
      assertThat(reader.unread()).isEmpty();
    }
    fn.reply(invocation, json("{'status_code':200}"));

    assertThat(response.get(HTTP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aTimedOutRequestLeavesNothingInTheChannelRegistry() throws Exception {
    EmbeddedEngine quick = engineWith(config -> config.withDefaultTimeout(Duration.ofMillis(200)));
    RawWorker fn = RawWorker.connect(quick);
    try {
      registerHttpFunction(fn, "GET", "silent", "raw::silent");
      CompletableFuture<HttpResponse<String>> response =
          sendAsync(request(quick, "/silent").GET().build());
      fn.awaitInvocation("raw::silent"); // and never answered

      assertThat(response.get(HTTP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode())
          .isEqualTo(504);
      await().atMost(HTTP_TIMEOUT).until(() -> quick.channelRegistry().size() == 0);
    } finally {
      fn.abort();
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A raw worker with a function bound to an {@code http} trigger on {@link #engine}. */
  private RawWorker httpFunction(String method, String apiPath, String functionId) {
    RawWorker fn = connect();
    registerHttpFunction(fn, method, apiPath, functionId);
    return fn;
  }

  private static void registerHttpFunction(
      RawWorker fn, String method, String apiPath, String functionId) {
    registerFunction(fn, functionId);
    fn.sendAndSync(
        json("{'type':'registertrigger','id':'%s','trigger_type':'http','function_id':'%s',"
                + "'config':{'api_path':'%s','http_method':'%s'}}")
            .formatted(uuid(), functionId, apiPath, method));
  }

  private String url(JsonNode ref, String dir) {
    return ChannelSocket.url(
        engine, ref.path("channel_id").asString(), ref.path("access_key").asString(), dir);
  }

  /** The HTTP status of an attempt to open a channel end (404 when it is gone). */
  private int openStatus(JsonNode ref, String dir) {
    return ChannelSocket.handshake(url(ref, dir), true).status();
  }
}
