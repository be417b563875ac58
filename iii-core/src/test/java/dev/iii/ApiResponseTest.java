package dev.iii;

import static dev.iii.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import dev.iii.protocol.ChannelRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** ApiRequest / ApiResponse against the engine's HTTP trigger shapes. */
class ApiResponseTest extends ClientTestSupport {

  /** What the engine sends a function bound to an HTTP trigger (engine-modules.md A4). */
  private static final String HTTP_INPUT =
      "{'query_params':{'q':'hello'},'path_params':{'id':'abc123'},"
          + "'headers':{'host':'localhost','content-type':'application/json'},"
          + "'path':'test/items/:id','method':'GET','body':{'n':1},"
          + "'trigger':{'type':'http','path':'test/items/:id','method':'GET'},"
          + "'request_body':{'channel_id':'c1','access_key':'k1','direction':'read'},"
          + "'response':{'channel_id':'c2','access_key':'k2','direction':'write'}}";

  @Test
  void aResponseIsWrittenWithTheEngineNames() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-a", "1");

    assertThat(
            FakeEngine.JSON.writeValueAsString(new ApiResponse(201, Map.of("ok", true), headers)))
        .isEqualTo("{\"status_code\":201,\"body\":{\"ok\":true},\"headers\":{\"x-a\":\"1\"}}");
    assertThat(FakeEngine.JSON.writeValueAsString(new ApiResponse(204, null)))
        .isEqualTo("{\"status_code\":204}");
  }

  @Test
  void aHandlerReturningAResponseAnswersWithStatusCodeAndBody() {
    III client = client();
    client.registerFunction(
        "api.hello", input -> new ApiResponse(200, Map.of("message", "Hello, world!")));
    connect(client);

    JsonNode result = engine.awaitConnection(0).call("api.hello", json(HTTP_INPUT));

    assertThat(result.get("result"))
        .isEqualTo(json("{'status_code':200,'body':{'message':'Hello, world!'}}"));
  }

  @Test
  void aTypedHandlerReadsTheWholeRequestIncludingItsChannels() {
    III client = client();
    CompletableFuture<ApiRequest<?>> seen = new CompletableFuture<>();
    client.registerFunction(
        "api.item",
        ApiRequest.class,
        request -> {
          seen.complete(request);
          return null;
        });
    connect(client);

    engine.awaitConnection(0).call("api.item", json(HTTP_INPUT));

    assertRequest(seen.join());
  }

  @Test
  void fromReadsAPlainHandlersInput() {
    III client = client();
    CompletableFuture<ApiRequest<Object>> seen = new CompletableFuture<>();
    client.registerFunction(
        "api.item",
        input -> {
          seen.complete(ApiRequest.from(input));
          return null;
        });
    connect(client);

    engine.awaitConnection(0).call("api.item", json(HTTP_INPUT));

    assertRequest(seen.join());
  }

  @Test
  void fromRejectsWhatIsNotAnHttpRequest() {
    assertThat(catchThrowable(() -> ApiRequest.from("text")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowable(() -> ApiRequest.from(Map.of("request_body", Map.of()))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowable(() -> ApiRequest.from(Map.of("method", "GET")).stream()))
        .isInstanceOf(IllegalStateException.class);
  }

  private static void assertRequest(ApiRequest<?> request) {
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo("test/items/:id");
    assertThat(request.pathParams()).containsExactly(Map.entry("id", "abc123"));
    assertThat(request.queryParams()).containsExactly(Map.entry("q", "hello"));
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.body()).isEqualTo(Map.of("n", 1));
    ChannelReader body = request.requestBody();
    ChannelWriter response = request.response();
    assertThat(body).isNotNull();
    assertThat(response).isNotNull();
    assertThat(body.ref()).isEqualTo(new ChannelRef("c1", "k1", ChannelRef.Direction.READ));
    assertThat(response.ref()).isEqualTo(new ChannelRef("c2", "k2", ChannelRef.Direction.WRITE));
    assertThat(request.stream().writer()).isSameAs(response);
  }
}
