package dev.iii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link Context#with} and {@link Context#current}. */
class ContextTest {

  @Test
  void outsideAFunctionTheContextHasNoFunction() {
    Context context = Context.current();

    assertThat(context.functionId()).isNull();
    assertThat(context.invocationId()).isNull();
    assertThat(context.logger()).isNotNull();
  }

  @Test
  void ofFillsBothIdsAndALogger() {
    Context context = Context.of("math::add", "inv-1");

    assertThat(context.functionId()).isEqualTo("math::add");
    assertThat(context.invocationId()).isEqualTo("inv-1");
    assertThat(context.logger().functionId()).isEqualTo("math::add");
  }

  @Test
  void withMakesTheContextCurrentAndReturnsTheBodysValue() throws Exception {
    Context context = Context.of("f", "i");

    Context seen = Context.with(context, Context::current);

    assertThat(seen).isSameAs(context);
    assertThat(Context.current().functionId()).isNull();
  }

  @Test
  void withNestsAndRestoresTheOuterContext() throws Exception {
    Context outer = Context.of("outer", "1");
    Context inner = Context.of("inner", "2");

    String trail =
        Context.with(
            outer,
            () -> {
              String before = Context.current().functionId();
              String during = Context.with(inner, () -> Context.current().functionId());
              String after = Context.current().functionId();
              return before + "," + during + "," + after;
            });

    assertThat(trail).isEqualTo("outer,inner,outer");
    assertThat(Context.current().functionId()).isNull();
  }

  @Test
  void withRestoresTheContextWhenTheBodyThrows() throws Exception {
    Context outer = Context.of("outer", "1");

    Context.with(
        outer,
        () -> {
          assertThatThrownBy(
                  () ->
                      Context.with(
                          Context.of("inner", "2"),
                          () -> {
                            throw new IllegalStateException("boom");
                          }))
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("boom");
          assertThat(Context.current()).isSameAs(outer);
          return null;
        });

    assertThat(Context.current().functionId()).isNull();
  }

  @Test
  void theContextBelongsToItsThread() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      String seenElsewhere =
          Context.with(
              Context.of("f", "i"),
              () ->
                  CompletableFuture.supplyAsync(() -> Context.current().functionId(), other).get());

      assertThat(seenElsewhere).isNull();
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void requiresALogger() {
    assertThatThrownBy(() -> new Context("f", "i", null)).isInstanceOf(NullPointerException.class);
  }
}
