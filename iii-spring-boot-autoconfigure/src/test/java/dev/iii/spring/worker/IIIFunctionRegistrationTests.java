package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.iii.ApiRequest;
import dev.iii.ApiResponse;
import dev.iii.Context;
import dev.iii.protocol.FunctionDetail;
import dev.iii.spring.annotation.CronTrigger;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.boot.autoconfigure.IIIHealthContributorAutoConfiguration;
import dev.iii.spring.boot.autoconfigure.health.IIIHealthIndicator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What annotated functions are registered with, as the engine sees it: JSON Schemas, HTTP
 * middleware and conditions; and what happens when the engine refuses a trigger, at startup and
 * later.
 */
class IIIFunctionRegistrationTests extends EngineAndCallerSupport {

  private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  // ---------------------------------------------------------------------------------------------
  // JSON Schemas

  @Test
  void payloadAndResultTypesBecomeTheFunctionsSchemas() {
    try (ConfigurableApplicationContext context = run(SchemaApp.class)) {
      WorkerTestSupport.awaitFunctions(caller, "schema::create");

      FunctionDetail create = info("schema::create");
      assertThat(create.requestSchema())
          .isEqualTo(
              Map.of(
                  "$schema",
                  DIALECT,
                  "type",
                  "object",
                  "properties",
                  Map.of("sku", Map.of("type", "string"), "quantity", Map.of("type", "integer"))));
      // CompletableFuture<Receipt>: the Receipt.
      assertThat(create.responseSchema())
          .isEqualTo(
              Map.of(
                  "$schema",
                  DIALECT,
                  "type",
                  "object",
                  "properties",
                  Map.of("id", Map.of("type", "string"))));

      // No payload parameter: no request schema; Mono<List<Receipt>>: an array.
      FunctionDetail list = info("schema::list");
      assertThat(list.requestSchema()).isNull();
      assertThat(schema(list.responseSchema())).containsEntry("type", "array");

      // A Map payload is an object; ApiResponse, void, Object and JsonNode have no schema.
      FunctionDetail raw = info("schema::raw");
      assertThat(raw.requestSchema()).isEqualTo(Map.of("$schema", DIALECT, "type", "object"));
      assertThat(raw.responseSchema()).isNull();
      FunctionDetail nothing = info("schema::nothing");
      assertThat(nothing.requestSchema()).isNull();
      assertThat(nothing.responseSchema()).isNull();
      assertThat(info("schema::tree").responseSchema()).isNull();
    }
  }

  @Test
  void formatsOfTheAnnotationWinAndGenerationCanBeSwitchedOffPerFunction() {
    try (ConfigurableApplicationContext context = run(SchemaApp.class)) {
      WorkerTestSupport.awaitFunctions(caller, "schema::explicit");

      FunctionDetail explicit = info("schema::explicit");
      assertThat(explicit.requestSchema())
          .isEqualTo(Map.of("type", "object", "required", List.of("sku")));
      assertThat(schema(explicit.responseSchema())).containsEntry("type", "object");

      FunctionDetail off = info("schema::off");
      assertThat(off.requestSchema()).isNull();
      assertThat(off.responseSchema()).isEqualTo(Map.of("type", "string"));
    }
  }

  @Test
  void theSchemasPropertySwitchesGenerationOffButKeepsExplicitFormats() {
    try (ConfigurableApplicationContext context =
        run(SchemaApp.class, "iii.worker.schemas.enabled=false")) {
      WorkerTestSupport.awaitFunctions(caller, "schema::create", "schema::explicit");

      FunctionDetail create = info("schema::create");
      assertThat(create.requestSchema()).isNull();
      assertThat(create.responseSchema()).isNull();
      FunctionDetail explicit = info("schema::explicit");
      assertThat(explicit.requestSchema())
          .isEqualTo(Map.of("type", "object", "required", List.of("sku")));
      assertThat(explicit.responseSchema()).isNull();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP middleware and conditions

  @Test
  void conditionAndMiddlewareGuardAnHttpRoute() throws Exception {
    try (ConfigurableApplicationContext context =
        run(GuardedApp.class, "app.condition=guard::allow")) {
      WorkerTestSupport.awaitFunctions(caller, "guard::get", "guard::allow", "guard::block");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !info("guard::get").registeredTriggers().isEmpty());
      assertThat(info("guard::get").registeredTriggers())
          .singleElement()
          .satisfies(
              trigger ->
                  assertThat(trigger.config())
                      .isEqualTo(
                          Map.of(
                              "api_path", "/guarded",
                              "http_method", "GET",
                              "condition_function_id", "guard::allow",
                              "middleware_function_ids", List.of("guard::block"))));

      HttpResponse<String> passed = get("/guarded");
      assertThat(passed.statusCode()).isEqualTo(200);
      assertThat(passed.body()).isEqualTo("\"through\"");

      // The condition says no: 422, the function does not run.
      assertThat(get("/guarded?deny=1").statusCode()).isEqualTo(422);

      // The middleware answers itself.
      HttpResponse<String> blocked = get("/guarded?block=1");
      assertThat(blocked.statusCode()).isEqualTo(403);
      assertThat(blocked.body()).contains("blocked by middleware");
      assertThat(context.getBean(Guarded.class).calls).hasValue(1);
    }
  }

  @Test
  void cronConditionIsRegisteredWithTheTrigger() {
    try (ConfigurableApplicationContext context = run(CronConditionApp.class)) {
      WorkerTestSupport.awaitFunctions(caller, "cron::guarded");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !info("cron::guarded").registeredTriggers().isEmpty());

      assertThat(info("cron::guarded").registeredTriggers())
          .singleElement()
          .satisfies(
              trigger ->
                  assertThat(trigger.config())
                      .isEqualTo(
                          Map.of(
                              "expression",
                              "0 0 0 1 1 *",
                              "condition_function_id",
                              "cron::never")));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Refused triggers

  @Test
  void aTriggerTheEngineRefusesAtStartupFailsStartupNamingFunctionTriggerAndReason() {
    assertThatThrownBy(() -> run(BadCronApp.class))
        .rootCause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("The iii engine refused 1 registration(s)")
        .hasMessageContaining("trigger cron not a cron")
        .hasMessageContaining("type cron")
        .hasMessageContaining("expression=not a cron")
        .hasMessageContaining("of bad::cron (badCron#tick)")
        .hasMessageContaining("trigger_registration_failed")
        .hasMessageContaining("Invalid cron expression 'not a cron'");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !WorkerTestSupport.functionIds(caller).contains("bad::cron"));
  }

  @Test
  void aRefusalAfterStartupIsLoggedAndShownByHealthWithoutChangingItsStatus() {
    // Attached once the application started: starting sets logging up anew.
    Logger registryLog = (Logger) LoggerFactory.getLogger(IIIFunctionRegistry.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    try (ConfigurableApplicationContext context = run(LateBadCronApp.class)) {
      logged.start();
      registryLog.addAppender(logged);
      IIIFunctionRegistry registry = context.getBean(IIIFunctionRegistry.class);
      IIIHealthIndicator health = context.getBean(IIIHealthIndicator.class);
      assertThat(registry.refusedRegistrations()).isEmpty();

      // A lazy bean: its function is registered when it is first used, after startup.
      context.getBean(LateBadCron.class);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !registry.refusedRegistrations().isEmpty());
      assertThat(registry.refusedRegistrations())
          .singleElement()
          .satisfies(
              refusal -> {
                assertThat(refusal.functionId()).isEqualTo("late::cron");
                assertThat(refusal.source()).isEqualTo("lateBadCron#tick");
                assertThat(refusal.trigger()).isNotNull();
                assertThat(refusal.trigger().type()).isEqualTo("cron");
                assertThat(refusal.code()).isEqualTo("trigger_registration_failed");
              });
      Health report = health.health();
      assertThat(report.getStatus()).isEqualTo(Status.UP);
      assertThat(report.getDetails().get("refused"))
          .asInstanceOf(InstanceOfAssertFactories.LIST)
          .singleElement()
          .asInstanceOf(InstanceOfAssertFactories.MAP)
          .containsEntry("function", "late::cron")
          .containsEntry("method", "lateBadCron#tick")
          .containsEntry("trigger", "cron every now and then")
          .containsEntry("code", "trigger_registration_failed");
      assertThat(logged.list)
          .anySatisfy(
              event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage())
                    .contains("late::cron")
                    .contains("Invalid cron expression");
              });

      context.stop();
      assertThat(registry.refusedRegistrations()).isEmpty();
    } finally {
      registryLog.detachAppender(logged);
    }
  }

  @Test
  void startupDoesNotWaitForAnUnreachableEngine() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    // An hour to confirm: were it waited for, the test would time out.
    try (ConfigurableApplicationContext context =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                new SpringApplicationBuilder(SchemaApp.class)
                    .web(WebApplicationType.NONE)
                    .properties(
                        "iii.url=ws://127.0.0.1:" + closed, "iii.worker.registration-timeout=1h")
                    .run())) {
      IIIFunctionRegistry registry = context.getBean(IIIFunctionRegistry.class);
      assertThat(registry.isRunning()).isTrue();
      assertThat(registry.registeredFunctionCount()).isEqualTo(7);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private ConfigurableApplicationContext run(Class<?> app, String... properties) {
    return new SpringApplicationBuilder(app)
        .web(WebApplicationType.NONE)
        .properties("iii.url=" + engine.wsUrl())
        .properties(properties)
        .run();
  }

  private FunctionDetail info(String functionId) {
    return caller.functionInfo(functionId).join();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schema(Object schema) {
    assertThat(schema).isInstanceOf(Map.class);
    return (Map<String, Object>) schema;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(engine.httpUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  record Order(String sku, int quantity) {}

  record Receipt(String id) {}

  /** Functions whose signatures say what their schemas are. */
  static class Described {

    @IIIFunction(id = "schema::create")
    CompletableFuture<Receipt> create(Order order) {
      return CompletableFuture.completedFuture(new Receipt(order.sku()));
    }

    @IIIFunction(id = "schema::list")
    Mono<List<Receipt>> list(Context context) {
      return Mono.just(List.of());
    }

    @IIIFunction(id = "schema::raw")
    ApiResponse raw(Map<String, Object> input) {
      return new ApiResponse(200, input);
    }

    @IIIFunction(id = "schema::nothing")
    void nothing(Object anything) {}

    @IIIFunction(id = "schema::tree")
    JsonNode tree(Order order) {
      return JsonNodeFactory.instance.objectNode();
    }

    @IIIFunction(
        id = "schema::explicit",
        requestFormat = "{\"type\":\"object\",\"required\":[\"sku\"]}")
    Receipt explicit(Order order) {
      return new Receipt(order.sku());
    }

    @IIIFunction(
        id = "schema::off",
        generateSchemas = false,
        responseFormat = "{\"type\":\"string\"}")
    String off(Order order) {
      return order.sku();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class SchemaApp {

    @Bean
    Described described() {
      return new Described();
    }
  }

  /** A route behind a condition and a middleware, both functions of the same application. */
  static class Guarded {

    final AtomicInteger calls = new AtomicInteger();

    @IIIFunction(id = "guard::get")
    @HttpTrigger(path = "/guarded", condition = "${app.condition}", middleware = "guard::block")
    String get(ApiRequest<Void> request) {
      calls.incrementAndGet();
      return "through";
    }

    @IIIFunction(id = "guard::allow")
    boolean allow(ApiRequest<Void> request) {
      return !request.queryParams().containsKey("deny");
    }

    @IIIFunction(id = "guard::block")
    Map<String, Object> block(Map<String, Object> input) {
      Map<?, ?> request = (Map<?, ?>) input.get("request");
      Map<?, ?> query = (Map<?, ?>) request.get("query_params");
      if (query.containsKey("block")) {
        return Map.of(
            "action",
            "respond",
            "response",
            Map.of("status_code", 403, "body", Map.of("error", "blocked by middleware")));
      }
      return Map.of("action", "continue");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class GuardedApp {

    @Bean
    Guarded guarded() {
      return new Guarded();
    }
  }

  /** A yearly job behind a condition that says no. */
  static class CronCondition {

    @IIIFunction(id = "cron::guarded")
    @CronTrigger(value = "0 0 0 1 1 *", condition = "cron::never")
    void guarded() {}

    @IIIFunction(id = "cron::never")
    boolean never() {
      return false;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class CronConditionApp {

    @Bean
    CronCondition cronCondition() {
      return new CronCondition();
    }
  }

  /** A job whose cron expression the engine refuses. */
  static class BadCron {

    @IIIFunction(id = "bad::cron")
    @CronTrigger("not a cron")
    void tick() {}
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class BadCronApp {

    @Bean
    BadCron badCron() {
      return new BadCron();
    }

    @Bean
    Described described() {
      return new Described();
    }
  }

  /** The same mistake, in a bean created after startup. */
  static class LateBadCron {

    @IIIFunction(id = "late::cron")
    @CronTrigger("every now and then")
    void tick() {}
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  @ImportAutoConfiguration(IIIHealthContributorAutoConfiguration.class)
  static class LateBadCronApp {

    @Bean
    Described described() {
      return new Described();
    }

    @Bean
    @Lazy
    LateBadCron lateBadCron() {
      return new LateBadCron();
    }
  }
}
