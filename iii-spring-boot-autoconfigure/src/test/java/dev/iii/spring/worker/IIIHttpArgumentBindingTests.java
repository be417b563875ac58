package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.spring.annotation.Body;
import dev.iii.spring.annotation.Header;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.annotation.PathParam;
import dev.iii.spring.annotation.QueryParam;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parameters bound from parts of an HTTP request ({@code @PathParam}, {@code @QueryParam},
 * {@code @Header}, {@code @Body}) and checked with Bean Validation, in a running application
 * against the embedded engine: values converted to the parameter's type, missing or unconvertible
 * ones answered 400 naming the parameter, and annotations that could never bind failing startup.
 */
class IIIHttpArgumentBindingTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private EmbeddedEngine engine;
  private ConfigurableApplicationContext context;

  @BeforeEach
  void startEngine() {
    engine = EmbeddedEngine.builder().host("127.0.0.1").port(0).httpPort(0).build().start();
  }

  @AfterEach
  void stop() {
    if (context != null) {
      context.close();
    }
    engine.close();
  }

  private void run(Class<?> app) {
    context =
        new SpringApplicationBuilder(app)
            .web(WebApplicationType.NONE)
            .properties("iii.url=" + engine.wsUrl())
            .run();
    try (III caller = new III(engine.wsUrl())) {
      caller.connect().join();
      WorkerTestSupport.awaitFunctions(caller, "orders::get", "orders::create");
    }
  }

  @Test
  void pathQueryAndHeaderValuesAreConvertedToTheParameterTypes() throws Exception {
    run(Orders.class);
    UUID tenant = UUID.randomUUID();

    HttpResponse<String> response =
        send(
            "GET",
            "/orders/41?expand=true&tag=a&tag=b",
            null,
            Map.of("X-Tenant", tenant.toString()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readValue(response.body(), Map.class))
        .containsEntry("next", 42)
        .containsEntry("expand", true)
        .containsEntry("limit", 20)
        .containsEntry("tag", "b")
        .containsEntry("sort", "none")
        .containsEntry("tenant", tenant.toString());
  }

  @Test
  void optionalQueryParametersTakeTheirValueWhenSent() throws Exception {
    run(Orders.class);

    HttpResponse<String> response =
        send(
            "GET",
            "/orders/1?expand=false&limit=5&sort=date",
            null,
            Map.of("x-tenant", UUID.randomUUID().toString()));

    assertThat(JSON.readValue(response.body(), Map.class))
        .containsEntry("limit", 5)
        .containsEntry("sort", "date");
  }

  @Test
  void valuesThatDoNotConvertAre400NamingTheParameterButNotTheValue() throws Exception {
    run(Orders.class);

    HttpResponse<String> response =
        send("GET", "/orders/forty-one?expand=true", null, Map.of("X-Tenant", "t"));

    assertThat(response.statusCode()).isEqualTo(400);
    String message = (String) JSON.readValue(response.body(), Map.class).get("message");
    assertThat(message).contains("parameter 'id' of orders::get").contains("path parameter 'id'");
    assertThat(message).doesNotContain("forty-one");
  }

  @Test
  void missingRequiredQueryParameterOrHeaderIs400() throws Exception {
    run(Orders.class);

    HttpResponse<String> noQuery =
        send("GET", "/orders/1", null, Map.of("X-Tenant", UUID.randomUUID().toString()));
    HttpResponse<String> noHeader = send("GET", "/orders/1?expand=true", null, Map.of());

    assertThat(noQuery.statusCode()).isEqualTo(400);
    assertThat(noQuery.body()).contains("query parameter 'expand' is missing");
    assertThat(noHeader.statusCode()).isEqualTo(400);
    assertThat(noHeader.body()).contains("header 'X-Tenant' is missing");
  }

  @Test
  void validBodyIsBoundAndAnInvalidOneIs400ListingEachViolation() throws Exception {
    run(Orders.class);

    HttpResponse<String> ok = send("POST", "/orders", "{\"sku\":\"A-1\",\"quantity\":2}", Map.of());
    HttpResponse<String> invalid =
        send("POST", "/orders", "{\"sku\":\" \",\"quantity\":0}", Map.of());

    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(JSON.readValue(ok.body(), Map.class)).containsEntry("quantity", 2);
    assertThat(invalid.statusCode()).isEqualTo(400);
    Map<?, ?> body = JSON.readValue(invalid.body(), Map.class);
    assertThat(body.get("error")).isEqualTo("invalid_argument");
    assertThat((String) body.get("message"))
        .contains("parameter 'order' of orders::create is not valid")
        .contains("quantity must be greater than 0")
        .contains("sku must not be blank");
  }

  @Test
  void directCallsAreValidatedToo() {
    run(Orders.class);

    try (III caller = new III(engine.wsUrl())) {
      caller.connect().join();
      assertThatThrownBy(
              () -> caller.call("orders::create", Map.of("sku", "", "quantity", 1)).join())
          .cause()
          .isInstanceOfSatisfying(
              IIIException.class,
              e -> {
                assertThat(e.code()).isEqualTo("invalid_argument");
                assertThat(e.getMessage()).contains("sku must not be blank");
              });
    }
  }

  @Test
  void malformedJsonBodyIs400() throws Exception {
    run(Orders.class);

    HttpResponse<String> response = send("POST", "/orders", "{\"sku\": ", Map.of());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("orders::create");
  }

  @Test
  void optionalBodyMayBeMissing() throws Exception {
    run(Orders.class);

    HttpResponse<String> response = send("POST", "/orders/draft", null, Map.of());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("\"empty\"");
  }

  @Test
  void pathParameterMissingFromTheRouteFailsStartup() {
    assertThatThrownBy(() -> run(WrongPathParam.class))
        .rootCause()
        .hasMessageContaining("wrong#get")
        .hasMessageContaining("@PathParam(\"key\")")
        .hasMessageContaining("/things/:id");
  }

  @Test
  void httpPartsOnAFunctionWithoutHttpTriggerFailStartup() {
    assertThatThrownBy(() -> run(NoHttp.class))
        .rootCause()
        .hasMessageContaining("nohttp#find")
        .hasMessageContaining("@QueryParam but the method has no @HttpTrigger");
  }

  @Test
  void validationWithoutAValidatorFailsStartup() {
    assertThatThrownBy(() -> run(OrdersWithoutValidator.class))
        .rootCause()
        .hasMessageContaining("orders#create")
        .hasMessageContaining("spring-boot-starter-validation");
  }

  private HttpResponse<String> send(
      String method, String path, @Nullable String json, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engine.httpUrl() + path));
    if (json != null) {
      request.header("content-type", "application/json");
    }
    headers.forEach(request::header);
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

  record Order(@NotBlank String sku, @Positive int quantity) {}

  static class OrderFunctions {

    @IIIFunction(id = "orders::get")
    @HttpTrigger(path = "/orders/{id}")
    Map<String, Object> get(
        @PathParam long id,
        @QueryParam boolean expand,
        @QueryParam(defaultValue = "20") int limit,
        @QueryParam("tag") @Nullable String lastTag,
        @QueryParam Optional<String> sort,
        @Header("X-Tenant") String tenant) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("next", id + 1);
      result.put("expand", expand);
      result.put("limit", limit);
      result.put("tag", lastTag);
      result.put("sort", sort.orElse("none"));
      result.put("tenant", tenant);
      return result;
    }

    @IIIFunction(id = "orders::create")
    @HttpTrigger(path = "/orders", method = "POST")
    Order create(@Body @Valid Order order) {
      return order;
    }

    @IIIFunction(id = "orders::draft")
    @HttpTrigger(path = "/orders/draft", method = "POST")
    String draft(@Body(required = false) @Nullable Order order) {
      return order == null ? "empty" : order.sku();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  @ImportAutoConfiguration(ValidationAutoConfiguration.class)
  static class Orders {
    @Bean
    OrderFunctions orders() {
      return new OrderFunctions();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class OrdersWithoutValidator {
    @Bean
    OrderFunctions orders() {
      return new OrderFunctions();
    }
  }

  static class WrongPathParamFunctions {
    @IIIFunction(id = "things::get")
    @HttpTrigger(path = "/things/{id}")
    String get(@PathParam("key") String key) {
      return key;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class WrongPathParam {
    @Bean
    WrongPathParamFunctions wrong() {
      return new WrongPathParamFunctions();
    }
  }

  static class NoHttpFunctions {
    @IIIFunction(id = "things::find")
    List<String> find(@QueryParam String q) {
      return List.of(q);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class NoHttp {
    @Bean
    NoHttpFunctions nohttp() {
      return new NoHttpFunctions();
    }
  }
}
