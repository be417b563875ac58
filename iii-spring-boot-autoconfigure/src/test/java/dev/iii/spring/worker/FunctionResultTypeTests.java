package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.ApiResponse;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Which type an annotated method's result is described by ({@code response_format}). */
class FunctionResultTypeTests {

  record Receipt(String id) {}

  @SuppressWarnings("unused")
  static class Signatures {
    Receipt plain() {
      return null;
    }

    CompletableFuture<Receipt> future() {
      return null;
    }

    CompletionStage<List<Receipt>> stage() {
      return null;
    }

    Mono<Receipt> mono() {
      return null;
    }

    Optional<Receipt> optional() {
      return null;
    }

    CompletableFuture<Optional<Receipt>> futureOptional() {
      return null;
    }

    void nothing() {}

    CompletableFuture<Void> futureOfNothing() {
      return null;
    }

    Mono<Void> monoOfNothing() {
      return null;
    }

    ApiResponse response() {
      return null;
    }

    CompletableFuture<ApiResponse> futureResponse() {
      return null;
    }

    Object anything() {
      return null;
    }

    JsonNode tree() {
      return null;
    }

    @SuppressWarnings("rawtypes")
    CompletableFuture raw() {
      return null;
    }
  }

  /** A generic base whose result type the subclass fixes. */
  abstract static class Base<T> {
    abstract CompletableFuture<T> get();
  }

  static class Concrete extends Base<Receipt> {
    @Override
    CompletableFuture<Receipt> get() {
      return null;
    }
  }

  @Test
  void valuesAndTheirWrappersAreDescribedByTheValueType() {
    assertThat(resultOf("plain")).isEqualTo(Receipt.class);
    assertThat(resultOf("future")).isEqualTo(Receipt.class);
    assertThat(resultOf("mono")).isEqualTo(Receipt.class);
    assertThat(resultOf("optional")).isEqualTo(Receipt.class);
    assertThat(resultOf("futureOptional")).isEqualTo(Receipt.class);
  }

  @Test
  void resultsWithoutAShapeHaveNoType() {
    for (String name :
        List.of(
            "nothing",
            "futureOfNothing",
            "monoOfNothing",
            "response",
            "futureResponse",
            "anything",
            "tree",
            "raw")) {
      assertThat(resultOf(name)).as(name).isNull();
    }
  }

  @Test
  void genericTypesComeOutWithTheirArgumentsAndWithoutTypeVariables() {
    Type list = resultOf("stage");

    assertThat(list).isInstanceOf(ParameterizedType.class);
    ParameterizedType parameterized = (ParameterizedType) list;
    assertThat(parameterized.getRawType()).isEqualTo(List.class);
    assertThat(parameterized.getActualTypeArguments()).containsExactly(Receipt.class);
  }

  @Test
  void aTypeVariableIsResolvedAgainstTheBeanClass() throws Exception {
    Method method = Base.class.getDeclaredMethod("get");

    assertThat(FunctionEndpointFactory.resultType(method, Concrete.class)).isEqualTo(Receipt.class);
  }

  private static Type resultOf(String name) {
    try {
      return FunctionEndpointFactory.resultType(
          Signatures.class.getDeclaredMethod(name), Signatures.class);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }
}
