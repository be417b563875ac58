package dev.iii.it.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.it.node.NodeSdk;
import dev.iii.protocol.FunctionInfo;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * A Spring Boot worker built with the starter, seen from outside: its annotated methods are
 * callable by official Node SDK workers and over HTTP, vanish from the engine when the context
 * closes, and come back by themselves (with health DOWN, then UP) when the engine restarts.
 */
class SpringWorkerInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  /** The input of {@code spring::greet}. */
  public record Person(String name) {}

  /** The output of {@code spring::greet}. */
  public record Greeting(String greeting) {}

  /** An annotated worker bean. */
  public static class Greeter {

    @IIIFunction(id = "spring::greet", description = "Greets a person")
    @HttpTrigger(path = "/greet", method = "POST")
    public Greeting greet(Person person) {
      return new Greeting("Hello " + person.name());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WorkerApp {

    @Bean
    Greeter greeter() {
      return new Greeter();
    }
  }

  private EmbeddedEngine engine =
      EmbeddedEngine.builder().port(0).httpPort(0).streamPort(0).build().start();
  private ConfigurableApplicationContext context;

  @AfterEach
  void stop() {
    if (context != null) {
      context.close();
    }
    engine.close();
  }

  private ConfigurableApplicationContext startWorker() {
    return new SpringApplicationBuilder(WorkerApp.class)
        .web(WebApplicationType.NONE)
        .properties(
            "spring.application.name=greeter",
            "iii.url=" + engine.wsUrl(),
            "iii.reconnection.initial-delay=50ms",
            "iii.reconnection.max-delay=200ms")
        .run();
  }

  private static boolean lists(III client, String id) throws Exception {
    return client.listFunctions().get(5, TimeUnit.SECONDS).stream()
        .map(FunctionInfo::functionId)
        .anyMatch(id::equals);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void nodeWorkersCallTheAnnotatedMethod(String sdk) {
    context = startWorker();
    try (NodeSdk node = NodeSdk.start(sdk, engine.wsUrl())) {
      node.result("connect", Map.of("workerName", "node-caller"));
      node.result("awaitFunctions", Map.of("ids", java.util.List.of("spring::greet")));

      JsonNode result =
          node.result(
              "call", Map.of("function_id", "spring::greet", "data", Map.of("name", "Ada")));

      assertThat(result.toString()).isEqualTo("{\"greeting\":\"Hello Ada\"}");
      JsonNode listed = node.result("listFunctions", Map.of());
      assertThat(listed.toString()).contains("\"description\":\"Greets a person\"");
    }
  }

  @Test
  void theHttpTriggerServesTheMethodAndEverythingGoesAwayOnClose() throws Exception {
    context = startWorker();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(engine.httpUrl() + "/greet"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Grace\"}"))
            .build();
    await()
        .atMost(WAIT)
        .until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
        .isEqualTo("{\"greeting\":\"Hello Grace\"}");

    try (III observer = new III(engine.wsUrl())) {
      observer.connect().get(5, TimeUnit.SECONDS);
      assertThat(lists(observer, "spring::greet")).isTrue();
      context.close();
      await().atMost(WAIT).until(() -> !lists(observer, "spring::greet"));
    }
    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void afterAnEngineRestartHealthGoesDownAndBackUpAndTheFunctionReturns() throws Exception {
    context = startWorker();
    HealthIndicator health = context.getBean("iiiHealthIndicator", HealthIndicator.class);
    await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.UP));
    int port = engine.port();

    engine.close();
    await().atMost(WAIT).until(() -> !health.health().getStatus().equals(Status.UP));
    engine = EmbeddedEngine.builder().port(port).httpPort(0).streamPort(0).build().start();

    await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.UP));
    try (III caller = new III(engine.wsUrl())) {
      caller.connect().get(5, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> lists(caller, "spring::greet"));
      assertThat(caller.call("spring::greet", Map.of("name", "Linus")).get(5, TimeUnit.SECONDS))
          .isEqualTo(Map.of("greeting", "Hello Linus"));
    }
  }
}
