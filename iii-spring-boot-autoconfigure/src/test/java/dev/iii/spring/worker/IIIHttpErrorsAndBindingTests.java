package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.ApiRequest;
import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.spring.annotation.CronTrigger;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP routes of a running application answered the Spring way: safe error bodies, statuses from
 * exceptions, {@code {id}} paths, a missing body as 400, and startup failures for routes that would
 * be silently wrong (issue 10, points 1–5 and 8).
 */
class IIIHttpErrorsAndBindingTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private EmbeddedEngine engine;
  private ConfigurableApplicationContext context;

  @BeforeEach
  void startEngine() {
    engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (context != null) {
      context.close();
    }
    engine.close();
  }

  private void run(Class<?> app, String... properties) {
    context =
        new SpringApplicationBuilder(app)
            .web(WebApplicationType.NONE)
            .properties("iii.url=" + engine.wsUrl())
            .properties(properties)
            .run();
    try (III caller = new III(engine.wsUrl())) {
      caller.connect().join();
      WorkerTestSupport.awaitFunctions(caller, "items::get");
    }
  }

  @Test
  void thrownExceptionIs500WithoutItsMessageButWithAnErrorId() throws Exception {
    run(Items.class);

    HttpResponse<String> response = send("POST", "/items/fail", "{}");

    assertThat(response.statusCode()).isEqualTo(500);
    Map<?, ?> body = JSON.readValue(response.body(), Map.class);
    assertThat(response.body()).doesNotContain("hunter2").doesNotContain("IllegalStateException");
    assertThat(body.get("error")).isEqualTo("invocation_failed");
    assertThat(body.get("status")).isEqualTo(500);
    assertThat((String) body.get("error_id")).isNotBlank();
  }

  @Test
  void includeMessageAlwaysAndIncludeExceptionShowThem() throws Exception {
    run(
        Items.class,
        "iii.worker.http.include-message=always",
        "iii.worker.http.include-exception=true");

    Map<?, ?> body = JSON.readValue(send("POST", "/items/fail", "{}").body(), Map.class);

    assertThat(body.get("message")).isEqualTo("database password=hunter2 rejected");
    assertThat(body.get("exception")).isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void statusComesFromResponseStatusExceptionResponseStatusAndIIIExceptionCodes() throws Exception {
    run(Items.class);

    HttpResponse<String> missing = send("GET", "/items/missing", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readValue(missing.body(), Map.class).get("message")).isEqualTo("no such item");
    assertThat(send("GET", "/items/taken", null).statusCode()).isEqualTo(409);
    assertThat(send("GET", "/items/gone", null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/items/denied", null).statusCode()).isEqualTo(403);
  }

  @Test
  void problemDetailsAreRfc9457Bodies() throws Exception {
    run(Items.class, "iii.worker.http.problem-details=true");

    HttpResponse<String> response = send("GET", "/items/missing", null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    Map<?, ?> body = JSON.readValue(response.body(), Map.class);
    assertThat(body.get("title")).isEqualTo("Not Found");
    assertThat(body.get("status")).isEqualTo(404);
    assertThat(body.get("detail")).isEqualTo("no such item");
  }

  @Test
  void errorHandlerMapsExceptions() throws Exception {
    run(WithErrorHandler.class);

    HttpResponse<String> response = send("POST", "/items/fail", "{}");

    assertThat(response.statusCode()).isEqualTo(503);
  }

  @Test
  void springStylePathVariableIsExtracted() throws Exception {
    run(Items.class);

    HttpResponse<String> response = send("GET", "/items/42", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readValue(response.body(), Map.class)).isEqualTo(Map.of("id", "42"));
  }

  @Test
  void missingBodyIs400WithAClearMessage() throws Exception {
    run(Items.class);

    HttpResponse<String> response = send("POST", "/items", null);

    assertThat(response.statusCode()).isEqualTo(400);
    Map<?, ?> body = JSON.readValue(response.body(), Map.class);
    assertThat(body.get("error")).isEqualTo("invalid_argument");
    assertThat((String) body.get("message")).contains("request body is missing");
  }

  @Test
  void bodyOfTheWrongShapeIs400NamingTheFieldWithoutInternals() throws Exception {
    run(Items.class);

    HttpResponse<String> response = send("POST", "/items", "{\"name\":\"x\",\"count\":\"many\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    String message = (String) JSON.readValue(response.body(), Map.class).get("message");
    assertThat(message).contains("Item").contains("'count'");
    assertThat(message).doesNotContain("many").doesNotContain("tools.jackson");
  }

  @Test
  void duplicateRouteAcrossBeansFailsStartupNamingBothMethods() {
    assertThatThrownBy(() -> run(DuplicateRoutes.class))
        .rootCause()
        .hasMessageContaining("Duplicate @HttpTrigger route GET /items/:")
        .hasMessageContaining("items#get")
        .hasMessageContaining("other#lookup");
  }

  @Test
  void triggerWithoutIIIFunctionFailsStartup() {
    assertThatThrownBy(() -> run(Orphan.class))
        .rootCause()
        .hasMessageContaining("orphan#tick")
        .hasMessageContaining("@CronTrigger needs @IIIFunction");
  }

  private HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engine.httpUrl() + path));
    if (json != null) {
      request.header("content-type", "application/json");
    }
    return http.send(
        request
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  record Item(String name, int count) {}

  @ResponseStatus(HttpStatus.CONFLICT)
  static class TakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  static class ItemFunctions {

    @IIIFunction(id = "items::get")
    @HttpTrigger(path = "/items/{id}")
    Map<String, String> get(ApiRequest<Void> request) {
      String id = request.pathParams().get("id");
      return switch (id) {
        case "missing" -> throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such item");
        case "taken" -> throw new TakenException();
        case "gone" -> throw new IIIException("not_found", "item gone at row 17");
        case "denied" -> throw new IIIException("permission_denied", "user admin");
        default -> Map.of("id", String.valueOf(id));
      };
    }

    @IIIFunction(id = "items::fail")
    @HttpTrigger(path = "/items/fail", method = "POST")
    String fail() {
      throw new IllegalStateException("database password=hunter2 rejected");
    }

    @IIIFunction(id = "items::create")
    @HttpTrigger(path = "/items", method = "POST")
    Item create(Item item) {
      return item;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class Items {
    @Bean
    ItemFunctions items() {
      return new ItemFunctions();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(Items.class)
  static class WithErrorHandler {
    @Bean
    IIIErrorHandler errorHandler() {
      return (endpoint, error) ->
          error instanceof IllegalStateException
              ? new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE)
              : error;
    }
  }

  static class OtherFunctions {
    @IIIFunction(id = "other::lookup")
    @HttpTrigger(path = "/items/:key")
    String lookup() {
      return "other";
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(Items.class)
  static class DuplicateRoutes {
    @Bean
    OtherFunctions other() {
      return new OtherFunctions();
    }
  }

  static class OrphanFunctions {
    @CronTrigger("0 0 * * * *")
    void tick() {}
  }

  @Configuration(proxyBeanMethods = false)
  @Import(Items.class)
  static class Orphan {
    @Bean
    OrphanFunctions orphan() {
      return new OrphanFunctions();
    }
  }
}
