package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.ApiRequest;
import dev.iii.ApiResponse;
import dev.iii.HttpResponseStream;
import dev.iii.III;
import dev.iii.channel.ChannelReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The reference page's examples and HTTP trigger features, over real HTTP to the engine. */
class HttpTriggerExamplesTest extends EngineTestSupport {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newHttpClient();

  /** Sends the request until the route answers with something else than 404 (not yet bound). */
  private HttpResponse<byte[]> send(HttpRequest.Builder request) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofByteArray()),
            response -> response.statusCode() != 404);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(engine.httpUrl() + path));
  }

  /** "Basic HTTP API". */
  @Test
  void helloWorld() throws Exception {
    III iii = connected("api");
    iii.registerFunction(
        "api.hello",
        ApiRequest.class,
        request -> new ApiResponse(200, Map.of("message", "Hello, world!")));
    iii.registerTrigger("http", "api.hello", Map.of("api_path", "/hello", "http_method", "GET"));

    HttpResponse<byte[]> response = send(request("/hello").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(JSON.readTree("{\"message\":\"Hello, world!\"}"));
  }

  /** "Calling Other Functions". */
  @Test
  void processOrderChargesThePaymentAndShipsTheOrder() throws Exception {
    III services = connected("services");
    List<Object> charges = new CopyOnWriteArrayList<>();
    List<Object> shipped = new CopyOnWriteArrayList<>();
    services.registerFunction(
        "payment.charge",
        input -> {
          charges.add(input);
          return Map.of("id", "pay_42");
        });
    services.registerFunction(
        "warehouse.ship",
        input -> {
          shipped.add(((Map<?, ?>) input).get("orderId"));
          return null;
        });
    III iii = connected("orders");
    iii.registerFunction(
        "processOrder",
        input -> {
          Map<?, ?> order = (Map<?, ?>) input;
          return iii.call(
                  "payment.charge",
                  Map.of("amount", order.get("total"), "customer", order.get("customerId")))
              .thenApply(
                  payment -> {
                    iii.callVoid("warehouse.ship", Map.of("orderId", order.get("id")));
                    return Map.of("success", true, "paymentId", ((Map<?, ?>) payment).get("id"));
                  });
        });

    Object answer =
        iii.call("processOrder", Map.of("id", "o-1", "total", 99.5, "customerId", "c-7"))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(answer).isEqualTo(Map.of("success", true, "paymentId", "pay_42"));
    assertThat(charges).hasSize(1);
    Map<?, ?> charge = (Map<?, ?>) charges.get(0);
    assertThat(charge.get("amount")).isEqualTo(99.5);
    assertThat(charge.get("customer")).isEqualTo("c-7");
    await().atMost(WAIT).until(() -> shipped.equals(List.of("o-1")));
  }

  @Test
  void aHandlerStreamsItsResponseWithStatusAndHeaders() throws Exception {
    III iii = connected("api");
    iii.registerFunction(
        "api.download",
        ApiRequest.class,
        request -> {
          HttpResponseStream response =
              request.stream().status(201).headers(Map.of("content-type", "text/plain"));
          response.write("chunk one, ".getBytes(StandardCharsets.UTF_8)).join();
          response.write("chunk two".getBytes(StandardCharsets.UTF_8)).join();
          response.close().join();
          return null;
        });
    iii.registerTrigger(
        "http", "api.download", Map.of("api_path", "download", "http_method", "GET"));

    HttpResponse<byte[]> response = send(request("/download").GET());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("content-type")).contains("text/plain");
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo("chunk one, chunk two");
  }

  @Test
  void aNonJsonBodyIsReadFromTheRequestBodyChannel() throws Exception {
    III iii = connected("api");
    iii.registerFunction(
        "api.upload",
        input -> {
          ApiRequest<Object> request = ApiRequest.from(input);
          ChannelReader body = request.requestBody();
          return body.readAll()
              .thenApply(
                  bytes ->
                      new ApiResponse(
                          200,
                          Map.of(
                              "received", new String(bytes, StandardCharsets.UTF_8),
                              "parsed", String.valueOf(request.body()),
                              "id", request.pathParams().get("id"))));
        });
    iii.registerTrigger(
        "http", "api.upload", Map.of("api_path", "upload/:id", "http_method", "POST"));

    HttpResponse<byte[]> response =
        send(
            request("/upload/7")
                .header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("raw text body")));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body)
        .isEqualTo(
            JSON.readTree("{\"received\":\"raw text body\",\"parsed\":\"null\",\"id\":\"7\"}"));
  }

  @Test
  void aJsonBodyArrivesParsedInTheTypedRequest() throws Exception {
    III iii = connected("api");
    CompletableFuture<ApiRequest<?>> seen = new CompletableFuture<>();
    iii.registerFunction(
        "api.echo",
        ApiRequest.class,
        request -> {
          seen.complete(request);
          return new ApiResponse(202, request.body(), Map.of("x-echo", "yes"));
        });
    iii.registerTrigger("http", "api.echo", Map.of("api_path", "echo", "http_method", "POST"));

    HttpResponse<byte[]> response =
        send(
            request("/echo?q=a+b")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"n\":1}"));
    ApiRequest<?> request = seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("echo");
    assertThat(request.queryParams()).containsEntry("q", "a b");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
  }
}
