package dev.iii.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.engine.EmbeddedEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample application as its users see it: real HTTP requests to the embedded engine's REST API
 * (free ports) and to the actuator.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "iii.embedded.port=0",
      "iii.embedded.http-port=0",
      "iii.embedded.stream-port=0",
      "server.address=127.0.0.1",
      "sample.heartbeat.cron=* * * * * *"
    })
class SampleApplicationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Autowired private EmbeddedEngine engine;
  @Autowired private JsonMapper json;
  @Autowired private Warehouse warehouse;
  @Autowired private NumberStream numbers;
  @Autowired private Heartbeat heartbeat;

  @LocalServerPort private int serverPort;

  /** Functions and routes are registered once the client connects, just after startup. */
  @BeforeEach
  void waitForRoutes() {
    await().atMost(TIMEOUT).until(() -> get("/hello").statusCode() == 200);
  }

  @Test
  void helloAnswersTheGreeting() throws Exception {
    HttpResponse<String> response = get("/hello");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(json.readTree(response.body()))
        .isEqualTo(json.readTree("{\"message\":\"Hello, world!\"}"));
  }

  @Test
  void orderIsChargedAndShipped() throws Exception {
    String orderId = "order-" + UUID.randomUUID();

    HttpResponse<String> response =
        post("/orders", "{\"id\":\"" + orderId + "\",\"total\":42.5,\"customerId\":\"c-7\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("paymentId").asString()).startsWith("pay_");
    // warehouse::ship was fired without waiting, so it may land just after the answer.
    await().atMost(TIMEOUT).until(warehouse::shippedOrders, orders -> orders.contains(orderId));
  }

  @Test
  void streamSendsServerSentEventsInOrder() throws Exception {
    HttpResponse<String> response = get("/stream?count=5");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<String> data = response.body().lines().filter(line -> line.startsWith("data: ")).toList();
    assertThat(data)
        .containsExactly(
            "data: {\"value\":0}",
            "data: {\"value\":1}",
            "data: {\"value\":2}",
            "data: {\"value\":3}",
            "data: {\"value\":4}");
  }

  @Test
  void numbersFlowThroughAChannelToAnotherFunction() throws Exception {
    HttpResponse<String> response = post("/numbers", "{}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json.readTree(response.body()))
        .isEqualTo(json.readTree("{\"status\":\"processing\",\"items\":100}"));
    // 0 + 1 + … + 99, each item read once, in one channel.
    await()
        .atMost(TIMEOUT)
        .until(
            numbers::lastSummary, summary -> new NumberStream.Summary(100, 4950).equals(summary));
  }

  @Test
  void cronJobTicks() {
    long before = heartbeat.ticks();

    await().atMost(TIMEOUT).until(() -> heartbeat.ticks() >= before + 2);
  }

  @Test
  void healthShowsTheIiiConnectionUp() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(actuatorUri("/health")).GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode iii = json.readTree(response.body()).path("components").path("iii");
    assertThat(iii.path("status").asString()).isEqualTo("UP");
    assertThat(iii.path("details").path("url").asString()).isEqualTo(engine.wsUrl());
  }

  @Test
  void metricsShowTheConnectionAndTheRegisteredFunctions() throws Exception {
    assertThat(metric("iii.client.connected")).isEqualTo(1.0);
    // api::hello, orders::process, orders::get, payment::charge, warehouse::ship, api::stream,
    // numbers::produce, numbers::sum, jobs::heartbeat, receipts::send, loyalty::orderPlaced
    assertThat(metric("iii.worker.functions.registered")).isEqualTo(11.0);
  }

  /** The first measurement of a meter, through the actuator's metrics endpoint. */
  private double metric(String name) throws IOException, InterruptedException {
    HttpResponse<String> response = send(HttpRequest.newBuilder(actuatorUri("/metrics/" + name)));
    assertThat(response.statusCode()).as(name).isEqualTo(200);
    return json.readTree(response.body()).path("measurements").path(0).path("value").asDouble();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(engineUri(path)).GET());
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(engineUri(path))
            .header("content-type", "application/json")
            .POST(BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.timeout(TIMEOUT).build(), BodyHandlers.ofString());
  }

  private URI actuatorUri(String path) {
    return URI.create("http://127.0.0.1:" + serverPort + "/actuator" + path);
  }

  private URI engineUri(String path) {
    return URI.create(engine.httpUrl() + path);
  }
}
