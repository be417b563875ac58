package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.aot.hint.predicate.RuntimeHintsPredicates.reflection;

import dev.iii.ApiRequest;
import dev.iii.ApiResponse;
import dev.iii.Context;
import dev.iii.IIIClient;
import dev.iii.protocol.ChannelRef;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.RegisterFunction;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.HttpTriggers;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.boot.autoconfigure.IIIAutoConfiguration;
import dev.iii.spring.boot.autoconfigure.IIIEmbeddedEngineAutoConfiguration;
import dev.iii.spring.boot.autoconfigure.IIIWorkerAutoConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.javapoet.ClassName;
import reactor.core.publisher.Mono;

/**
 * Spring's AOT processing of an application with the starter's auto-configuration (embedded engine
 * on) and {@code @IIIFunction} beans: it succeeds, and the runtime hints cover what the starter
 * reflects on, the methods it calls, and the types Jackson and the schema generator bind.
 */
class IIIFunctionAotTests {

  private static RuntimeHints hints;

  @BeforeAll
  static void processAheadOfTime() {
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "test",
                  Map.of(
                      "iii.embedded.enabled", "true",
                      "iii.embedded.port", "0",
                      "iii.embedded.http-port", "0",
                      "iii.embedded.stream-port", "0")));
      AnnotationConfigUtils.registerAnnotationConfigProcessors(context);
      context.registerBean(App.class);
      context.registerBean(Shipping.class);
      DefaultGenerationContext generationContext =
          new DefaultGenerationContext(
              new ClassNameGenerator(ClassName.get(App.class)), new InMemoryGeneratedFiles());
      new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
      generationContext.writeGeneratedContent();
      hints = generationContext.getRuntimeHints();
    }
  }

  @Test
  void functionMethodsCanBeInvoked() throws NoSuchMethodException {
    assertThat(hints)
        .matches(
            reflection()
                .onMethodInvocation(Orders.class.getDeclaredMethod("create", CreateOrder.class)))
        .matches(reflection().onMethodInvocation(Orders.class, "find"))
        .matches(reflection().onMethodInvocation(Orders.class, "track"))
        .matches(reflection().onMethodInvocation(Shipping.class, "ship"));
  }

  @Test
  void methodsWithoutIIIFunctionGetNoHint() {
    assertThat(hints).doesNotMatch(reflection().onMethodInvocation(Orders.class, "helper"));
  }

  @Test
  void payloadRecordsAndWhatTheyHoldAreBound() throws NoSuchMethodException {
    assertThat(hints)
        .matches(
            reflection()
                .onConstructorInvocation(
                    CreateOrder.class.getDeclaredConstructor(String.class, List.class)))
        .matches(reflection().onMethodInvocation(CreateOrder.class, "customer"))
        .matches(reflection().onMethodInvocation(Line.class, "quantity"))
        .matches(reflection().onMethodInvocation(OrderQuery.class, "id"));
  }

  @Test
  void resultsAreBoundThroughFuturesMonoAndOptional() {
    assertThat(hints)
        .matches(reflection().onMethodInvocation(OrderCreated.class, "orderId"))
        .matches(reflection().onMethodInvocation(Order.class, "status"))
        .matches(reflection().onMethodInvocation(Tracking.class, "carrier"))
        .matches(reflection().onMethodInvocation(Shipment.class, "parcels"));
  }

  @Test
  void parametersTheStarterSuppliesAreNotBound() {
    // IIIClient is left out here: Spring registers its close method as the bean's destroy method.
    for (Class<?> type : List.of(Context.class, Mono.class, CompletionStage.class)) {
      assertThat(reflection().onType(type).test(hints)).as("a hint for %s", type).isFalse();
    }
  }

  @Test
  void protocolMessagesAndClientTypesAreBound() {
    assertThat(hints)
        .matches(reflection().onMethodInvocation(InvokeFunction.class, "functionId"))
        .matches(reflection().onMethodInvocation(RegisterFunction.class, "id"))
        .matches(reflection().onMethodInvocation(ChannelRef.class, "channelId"))
        .matches(reflection().onMethodInvocation(ApiResponse.class, "status"));
  }

  @Test
  void annotationAttributesCanBeReadReflectively() throws NoSuchMethodException {
    assertThat(hints)
        .matches(reflection().onMethodInvocation(IIIFunction.class.getMethod("id")))
        .matches(reflection().onMethodInvocation(HttpTriggers.class.getMethod("value")))
        .matches(reflection().onMethodInvocation(HttpTrigger.class.getMethod("path")));
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
    IIIEmbeddedEngineAutoConfiguration.class,
    IIIAutoConfiguration.class,
    IIIWorkerAutoConfiguration.class
  })
  static class App {

    @Bean
    Orders orders() {
      return new Orders();
    }
  }

  record Line(String sku, int quantity) {}

  record CreateOrder(String customer, List<Line> lines) {}

  record OrderCreated(String orderId) {}

  record OrderQuery(String id) {}

  record Order(String id, String status) {}

  record Tracking(String carrier) {}

  record Shipment(List<String> parcels) {}

  static class Orders {

    @IIIFunction(id = "orders::create")
    CompletionStage<OrderCreated> create(CreateOrder order) {
      return CompletableFuture.completedFuture(new OrderCreated(order.customer()));
    }

    @IIIFunction(id = "orders::find")
    @HttpTrigger(path = "/orders/:id", method = "GET")
    Optional<Order> find(ApiRequest<OrderQuery> request, Context context) {
      return Optional.empty();
    }

    @IIIFunction(id = "orders::track")
    Mono<Tracking> track(String orderId, IIIClient client) {
      return Mono.empty();
    }

    String helper(String value) {
      return value;
    }
  }

  /** A bean registered by class, as component scanning does. */
  static class Shipping {

    @IIIFunction(id = "shipping::ship")
    Shipment ship(OrderCreated order) {
      return new Shipment(List.of());
    }
  }
}
