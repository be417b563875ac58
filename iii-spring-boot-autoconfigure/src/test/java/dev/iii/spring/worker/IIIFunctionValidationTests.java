package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.III;
import dev.iii.spring.annotation.CronTrigger;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.annotation.Trigger;
import dev.iii.spring.boot.autoconfigure.IIIWorkerAutoConfiguration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;

/**
 * Invalid {@code @IIIFunction} methods fail startup with a message naming the bean and the method.
 * The client never connects: validation needs no engine.
 */
class IIIFunctionValidationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(IIIWorkerAutoConfiguration.class))
          .withBean("iiiClient", III.class, () -> new III("ws://127.0.0.1:1"))
          .withPropertyValues("app.function-id=orders::create");

  @Test
  void duplicateIdNamesBothMethods() {
    runner
        .withUserConfiguration(DuplicateIds.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("Duplicate @IIIFunction id 'orders::create'")
                    .hasMessageContaining("first#create")
                    .hasMessageContaining("second#create"));
  }

  @Test
  void twoPayloadParametersNameTheMethodAndParameters() {
    assertStartupFails(TwoPayloads.class, "twoPayloads#create", "[order, other]");
  }

  @Test
  void privateMethodIsRejected() {
    assertStartupFails(PrivateMethod.class, "privateMethod#hidden", "must not be private");
  }

  @Test
  void staticMethodIsRejected() {
    assertStartupFails(StaticMethod.class, "staticMethod#shared", "must not be static");
  }

  @Test
  void streamingReturnTypesAreRejected() {
    assertStartupFails(FluxReturn.class, "fluxReturn#many", "Flux is not supported");
    assertStartupFails(StreamReturn.class, "streamReturn#many", "Stream is not supported");
  }

  @Test
  void invalidHttpMethodIsRejected() {
    assertStartupFails(BadHttpMethod.class, "badHttpMethod#get", "'FETCH'");
  }

  @Test
  void triggerConfigThatIsNotJsonIsRejected() {
    assertStartupFails(BadTriggerConfig.class, "badTriggerConfig#on", "not a JSON object");
  }

  @Test
  void formatsThatAreNotJsonObjectsAreRejected() {
    assertStartupFails(BadRequestFormat.class, "badRequestFormat#get", "requestFormat is not JSON");
    assertStartupFails(
        ArrayResponseFormat.class,
        "arrayResponseFormat#get",
        "responseFormat is not a JSON object");
  }

  @Test
  void emptyMiddlewareIdIsRejected() {
    assertStartupFails(EmptyMiddleware.class, "emptyMiddleware#get", "empty middleware id");
  }

  @Test
  void httpMiddlewareAndConditionsGoIntoTheTriggerConfigWithPlaceholdersResolved() {
    runner
        .withPropertyValues("app.guard=auth::allowed", "app.log=mw::log")
        .withUserConfiguration(Guarded.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              IIIFunctionEndpoint endpoint =
                  context.getBean(IIIFunctionRegistry.class).getEndpoints().get(0);
              assertThat(endpoint.triggers())
                  .containsExactly(
                      new TriggerDefinition(
                          "http",
                          Map.of(
                              "api_path", "/orders",
                              "http_method", "POST",
                              "condition_function_id", "auth::allowed",
                              "middleware_function_ids", List.of("mw::log", "mw::auth")),
                          "http POST /orders if auth::allowed, middleware [mw::log, mw::auth]"),
                      new TriggerDefinition(
                          "http",
                          Map.of(
                              "api_path",
                              "/orders/open",
                              "http_method",
                              "GET",
                              "middleware_function_ids",
                              List.of("mw::log")),
                          "http GET /orders/open middleware [mw::log]"),
                      new TriggerDefinition(
                          "cron",
                          Map.of(
                              "expression", "0 * * * * *",
                              "condition_function_id", "auth::allowed"),
                          "cron 0 * * * * * if auth::allowed"));
              assertThat(endpoint.toString())
                  .isEqualTo(
                      "orders::create -> "
                          + endpoint.method().getDeclaringClass().getName()
                          + "#create [http POST /orders if auth::allowed, middleware [mw::log,"
                          + " mw::auth], http GET /orders/open middleware [mw::log], cron 0 * * * *"
                          + " * if auth::allowed]");
            });
  }

  @Test
  void disabledWorkerStillValidates() {
    runner
        .withPropertyValues("iii.worker.enabled=false")
        .withUserConfiguration(TwoPayloads.class)
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void validMethodsBecomeEndpointsWithResolvedPlaceholders() {
    runner
        .withUserConfiguration(Valid.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              List<IIIFunctionEndpoint> endpoints =
                  context.getBean(IIIFunctionRegistry.class).getEndpoints();
              assertThat(endpoints)
                  .singleElement()
                  .satisfies(
                      endpoint -> {
                        assertThat(endpoint.id()).isEqualTo("orders::create");
                        assertThat(endpoint.source()).isEqualTo("valid#create");
                        assertThat(endpoint.triggers())
                            .containsExactly(
                                new TriggerDefinition(
                                    "queue",
                                    Map.of("topic", "orders::create"),
                                    "queue {\"topic\":\"orders::create\"}"));
                      });
            });
  }

  private void assertStartupFails(Class<?> config, String... messageParts) {
    runner
        .withUserConfiguration(config)
        .run(
            context -> {
              assertThat(context).hasFailed();
              String message = context.getStartupFailure().getMessage();
              for (String part : messageParts) {
                assertThat(message).contains(part);
              }
            });
  }

  record Order(String sku) {}

  static class Functions {
    @IIIFunction(id = "orders::create")
    String create(Order order) {
      return order.sku();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class DuplicateIds {
    @Bean
    Functions first() {
      return new Functions();
    }

    @Bean
    Functions second() {
      return new Functions();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoPayloads {
    @Bean
    Object twoPayloads() {
      return new Object() {
        @IIIFunction(id = "orders::create")
        String create(Order order, Order other) {
          return order.sku() + other.sku();
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PrivateMethod {
    @Bean
    Object privateMethod() {
      return new Object() {
        @IIIFunction(id = "orders::hidden")
        private String hidden() {
          return "hidden";
        }
      };
    }
  }

  static class Shared {
    @IIIFunction(id = "orders::shared")
    static String shared() {
      return "shared";
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class StaticMethod {
    @Bean
    Shared staticMethod() {
      return new Shared();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class FluxReturn {
    @Bean
    Object fluxReturn() {
      return new Object() {
        @IIIFunction(id = "orders::many")
        Flux<String> many() {
          return Flux.just("a");
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class StreamReturn {
    @Bean
    Object streamReturn() {
      return new Object() {
        @IIIFunction(id = "orders::many")
        Stream<String> many() {
          return Stream.of("a");
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class BadHttpMethod {
    @Bean
    Object badHttpMethod() {
      return new Object() {
        @IIIFunction(id = "orders::get")
        @HttpTrigger(path = "/orders", method = "FETCH")
        String get() {
          return "";
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class BadTriggerConfig {
    @Bean
    Object badTriggerConfig() {
      return new Object() {
        @IIIFunction(id = "orders::on")
        @Trigger(type = "queue", config = "{topic: orders")
        void on() {}
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class BadRequestFormat {
    @Bean
    Object badRequestFormat() {
      return new Object() {
        @IIIFunction(id = "orders::get", requestFormat = "{type: object")
        String get() {
          return "";
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ArrayResponseFormat {
    @Bean
    Object arrayResponseFormat() {
      return new Object() {
        @IIIFunction(id = "orders::get", responseFormat = "[\"string\"]")
        String get() {
          return "";
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class EmptyMiddleware {
    @Bean
    Object emptyMiddleware() {
      return new Object() {
        @IIIFunction(id = "orders::get")
        @HttpTrigger(
            path = "/orders",
            middleware = {"mw::log", " "})
        String get() {
          return "";
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Guarded {
    @Bean
    Object guarded() {
      return new Object() {
        @IIIFunction(id = "orders::create")
        @HttpTrigger(
            path = "/orders",
            method = "POST",
            condition = "${app.guard}",
            middleware = {"${app.log}", "mw::auth"})
        @HttpTrigger(path = "/orders/open", middleware = "${app.log}")
        @CronTrigger(value = "0 * * * * *", condition = "${app.guard}")
        void create() {}
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Valid {
    @Bean
    Object valid() {
      return new Object() {
        @IIIFunction(id = "${app.function-id}")
        @Trigger(type = "queue", config = "{\"topic\":\"${app.function-id}\"}")
        void create() {}
      };
    }
  }
}
