package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.ApiRequest;
import dev.iii.ApiResponse;
import dev.iii.Context;
import dev.iii.III;
import dev.iii.IIIClient;
import dev.iii.IIIException;
import dev.iii.TriggerRequest;
import dev.iii.channel.ChannelWriter;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.spring.annotation.CronTrigger;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Annotated methods of a running application, called by another worker and over HTTP. */
class IIIFunctionInvocationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static EmbeddedEngine engine;
  private static ConfigurableApplicationContext context;
  private static III caller;
  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .build()
            .start();
    context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("iii.url=" + engine.wsUrl(), "test.prefix=cart")
            .run();
    caller = new III(engine.wsUrl());
    caller.connect().join();
    WorkerTestSupport.awaitFunctions(
        caller,
        "orders::create",
        "orders::fail",
        "orders::echo",
        "orders::remove",
        "orders::download",
        "cart::total",
        "context::info",
        "context::metadata",
        "async::future",
        "async::mono",
        "optional::empty",
        "proxied::greet",
        "jdk::greet");
  }

  @AfterAll
  static void stop() {
    if (caller != null) {
      caller.close();
    }
    if (context != null) {
      context.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void callBindsThePayloadToARecordAndReturnsARecord() {
    Object result = caller.call("orders::create", Map.of("sku", "book", "quantity", 2)).join();

    assertThat(result).isEqualTo(Map.of("id", "book-2", "quantity", 2));
  }

  @Test
  void payloadThatDoesNotConvertFailsWithInvalidArgumentNamingParameterAndFunction() {
    assertThatThrownBy(
            () -> caller.call("orders::create", Map.of("sku", "book", "quantity", "many")).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            IIIException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_argument");
              assertThat(e.errorMessage()).contains("'order'").contains("orders::create");
            });
  }

  @Test
  void exceptionBecomesInvocationFailedWithItsMessage() {
    assertThatThrownBy(() -> caller.call("orders::fail", Map.of()).join())
        .cause()
        .isInstanceOfSatisfying(
            IIIException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invocation_failed");
              assertThat(e.errorMessage()).isEqualTo("out of stock");
            });
  }

  @Test
  void iiiExceptionKeepsItsCode() {
    assertThatThrownBy(() -> caller.call("orders::fail", Map.of("code", "not_allowed")).join())
        .cause()
        .isInstanceOfSatisfying(
            IIIException.class, e -> assertThat(e.code()).isEqualTo("not_allowed"));
  }

  @Test
  void genericListParameterBindsAndPlaceholderIdIsResolved() {
    Object total =
        caller
            .call(
                "cart::total",
                List.of(Map.of("sku", "a", "price", 3), Map.of("sku", "b", "price", 4)))
            .join();

    assertThat(total).isEqualTo(7);
  }

  @Test
  void contextAndClientParametersBind() {
    Object result = caller.call("context::info", Map.of("x", 1)).join();

    assertThat(result)
        .isEqualTo(
            Map.of("function", "context::info", "sameClient", true, "payload", Map.of("x", 1)));
  }

  @Test
  void aContextParameterSeesTheCallersMetadata() {
    Object result =
        caller
            .trigger(
                TriggerRequest.of("context::metadata", Map.of("x", 1))
                    .withMetadata(Map.of("tenant", "acme", "attempt", 2)))
            .join();

    assertThat(result)
        .isEqualTo(
            Map.of("metadata", Map.of("tenant", "acme", "attempt", 2), "payload", Map.of("x", 1)));
    // Without metadata the context has none.
    assertThat(caller.call("context::metadata", Map.of("x", 2)).join())
        .isEqualTo(Map.of("payload", Map.of("x", 2)));
  }

  @Test
  void completableFutureAndMonoResultsAreAwaited() {
    assertThat(caller.call("async::future", "abc").join()).isEqualTo("ABC");
    assertThat(caller.call("async::mono", "abc").join()).isEqualTo("cba");
  }

  @Test
  void emptyOptionalIsNoResult() {
    assertThat(caller.call("optional::empty", null).join()).isNull();
  }

  @Test
  void cglibProxiedBeanIsInvokedThroughItsProxy() {
    int before = App.intercepted.get();

    assertThat(caller.call("proxied::greet", "ada").join()).isEqualTo("hello ada");
    assertThat(App.intercepted.get()).isEqualTo(before + 1);
  }

  @Test
  void jdkProxiedBeanIsDiscoveredThroughItsInterface() {
    assertThat(caller.call("jdk::greet", "ada").join()).isEqualTo("hi ada");
  }

  @Test
  void httpPostBindsTheBodyAndAnswers200WithJson() throws Exception {
    HttpResponse<String> response = post("/orders", "{\"sku\":\"pen\",\"quantity\":3}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readValue(response.body(), Map.class))
        .isEqualTo(Map.of("id", "pen-3", "quantity", 3));
  }

  @Test
  void httpBodyThatDoesNotBindIs400() throws Exception {
    HttpResponse<String> response = post("/orders", "{\"sku\":\"pen\",\"quantity\":\"x\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    Map<?, ?> body = JSON.readValue(response.body(), Map.class);
    assertThat(body.get("error")).isEqualTo("invalid_argument");
    assertThat((String) body.get("message")).contains("'order'");
  }

  @Test
  void httpMethodThatThrowsIs500WithoutTheMessage() throws Exception {
    HttpResponse<String> response = post("/orders/fail", "{}");

    assertThat(response.statusCode()).isEqualTo(500);
    Map<?, ?> body = JSON.readValue(response.body(), Map.class);
    assertThat(body.get("error")).isEqualTo("invocation_failed");
    assertThat(body.containsKey("message")).isFalse();
  }

  @Test
  void apiRequestParameterSeesPathAndTypedBodyAndApiResponseIsReturnedAsIs() throws Exception {
    HttpResponse<String> response = post("/echo/ada", "{\"sku\":\"ink\",\"quantity\":1}");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(JSON.readValue(response.body(), Map.class))
        .isEqualTo(Map.of("name", "ada", "sku", "ink"));
  }

  /**
   * Called with the input the engine sends for an HTTP request rather than over HTTP: the embedded
   * engine does not deliver 204 responses to HTTP clients yet (the request hangs).
   */
  @Test
  void voidHttpMethodAnswers204() {
    Map<String, Object> request =
        Map.of(
            "path_params", Map.of("id", "7"),
            "query_params", Map.of(),
            "headers", Map.of(),
            "method", "DELETE",
            "path", "/orders/:id",
            "trigger", Map.of("type", "http", "path", "/orders/:id", "method", "DELETE"));

    assertThat(caller.call("orders::remove", request).join()).isEqualTo(Map.of("status_code", 204));
    assertThat(App.removed).contains("7");
  }

  @Test
  void channelWriterParameterBindsAndStreamsTheResponse() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(engine.httpUrl() + "/download"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("streamed");
  }

  @Test
  void cronTriggerFires() {
    await().atMost(Duration.ofSeconds(10)).until(() -> App.ticks.get() >= 1);
  }

  @Test
  void registryExposesEndpointsAndRegisteredCount() {
    IIIFunctionRegistry registry = context.getBean(IIIFunctionRegistry.class);

    assertThat(registry.registeredFunctionCount()).isEqualTo(14);
    assertThat(registry.getEndpoints())
        .filteredOn(e -> e.id().equals("orders::create"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.beanName()).isEqualTo("orders");
              assertThat(e.toString())
                  .isEqualTo("orders::create -> Orders#create [http POST /orders]");
            });
  }

  private static HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(engine.httpUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  record CreateOrder(String sku, int quantity) {}

  record OrderCreated(String id, int quantity) {}

  record Item(String sku, int price) {}

  /** Functions on a plain bean. */
  static class Orders {

    @IIIFunction(id = "orders::create", description = "Create an order")
    @HttpTrigger(path = "/orders", method = "POST")
    OrderCreated create(CreateOrder order) {
      return new OrderCreated(order.sku() + "-" + order.quantity(), order.quantity());
    }

    @IIIFunction(id = "orders::fail")
    @HttpTrigger(path = "/orders/fail", method = "POST")
    String fail(Map<String, String> input) {
      if (input.containsKey("code")) {
        throw new IIIException(input.get("code"), "refused");
      }
      throw new IllegalStateException("out of stock");
    }

    @IIIFunction(id = "orders::echo")
    @HttpTrigger(path = "/echo/:name", method = "POST")
    ApiResponse echo(ApiRequest<CreateOrder> request) {
      return new ApiResponse(
          201, Map.of("name", request.pathParams().get("name"), "sku", request.body().sku()));
    }

    @IIIFunction(id = "orders::remove")
    @HttpTrigger(path = "/orders/:id", method = "DELETE")
    void remove(ApiRequest<Void> request) {
      App.removed.add(request.pathParams().get("id"));
    }

    @IIIFunction(id = "orders::download")
    @HttpTrigger(path = "/download", method = "GET")
    void download(ApiRequest<Void> request, ChannelWriter response) {
      if (request.response() != response) {
        throw new IllegalStateException("not the request's response channel");
      }
      request.stream().status(200).headers(Map.of("content-type", "text/plain"));
      request.stream().write("streamed".getBytes(StandardCharsets.UTF_8)).join();
      request.stream().close().join();
    }

    @IIIFunction(id = "${test.prefix}::total")
    int total(List<Item> items) {
      return items.stream().mapToInt(Item::price).sum();
    }

    @IIIFunction(id = "context::info")
    Map<String, Object> info(Context context, IIIClient client, Map<String, Object> payload) {
      return Map.of(
          "function", context.functionId(), "sameClient", client == App.client, "payload", payload);
    }

    @IIIFunction(id = "context::metadata")
    Map<String, Object> metadata(Map<String, Object> payload, Context context) {
      Map<String, Object> seen = new LinkedHashMap<>();
      seen.put("payload", payload);
      if (context.metadata() != null) {
        seen.put("metadata", context.metadata());
      }
      return seen;
    }

    @IIIFunction(id = "async::future")
    CompletableFuture<String> future(String text) {
      return CompletableFuture.supplyAsync(text::toUpperCase);
    }

    @IIIFunction(id = "async::mono")
    Mono<String> mono(String text) {
      return Mono.fromSupplier(() -> new StringBuilder(text).reverse().toString());
    }

    @IIIFunction(id = "optional::empty")
    Optional<String> empty() {
      return Optional.empty();
    }

    @IIIFunction(id = "cron::tick")
    @CronTrigger("* * * * * *")
    void tick() {
      App.ticks.incrementAndGet();
    }
  }

  /** A bean exposed only through a CGLIB proxy. */
  static class Greeter {

    @IIIFunction(id = "proxied::greet")
    public String greet(String name) {
      return "hello " + name;
    }
  }

  /** A bean exposed only through a JDK proxy of this interface. */
  interface Hi {

    @IIIFunction(id = "jdk::greet")
    String hi(String name);
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class App {

    static final AtomicInteger ticks = new AtomicInteger();
    static final AtomicInteger intercepted = new AtomicInteger();
    static final List<String> removed = new CopyOnWriteArrayList<>();
    static IIIClient client;

    @Bean
    Orders orders(IIIClient iiiClient) {
      client = iiiClient;
      return new Orders();
    }

    @Bean
    Greeter greeter() {
      ProxyFactory factory = new ProxyFactory(new Greeter());
      factory.setProxyTargetClass(true);
      factory.addAdvice(
          (MethodInterceptor)
              invocation -> {
                intercepted.incrementAndGet();
                return invocation.proceed();
              });
      return (Greeter) factory.getProxy();
    }

    @Bean
    Hi hi() {
      Hi target = name -> "hi " + name;
      ProxyFactory factory = new ProxyFactory(target);
      factory.addInterface(Hi.class);
      return (Hi) factory.getProxy();
    }
  }
}
