package dev.iii.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.iii.FunctionHandler;
import dev.iii.IIIClient;
import dev.iii.RegisterFunctionOptions;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.boot.autoconfigure.IIIClientLifecycle;
import dev.iii.spring.worker.IIIFunctionRegistry;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * A user's test of code that calls other functions: the {@link IIIClient} is a Mockito mock, so no
 * engine is needed and nothing connects; the application's own functions are still discovered and
 * validated, but not registered anywhere.
 */
@SpringBootTest(
    classes = MockedIIIClientTests.App.class,
    properties = "spring.main.web-application-type=none")
class MockedIIIClientTests {

  @MockitoBean IIIClient iii;

  @Autowired Quotes quotes;
  @Autowired IIIClientLifecycle lifecycle;
  @Autowired IIIFunctionRegistry registry;

  @Test
  void theContextStartsWithAMockedClientAndNeverConnects() {
    assertThat(lifecycle.isRunning()).isTrue();
    verify(iii, never()).connect();
    verify(iii, never())
        .registerFunction(
            any(String.class), any(FunctionHandler.class), any(RegisterFunctionOptions.class));
    assertThat(registry.getEndpoints())
        .extracting(endpoint -> endpoint.id())
        .containsExactly("quotes::price");
  }

  @Test
  void theFunctionUnderTestCallsTheStubbedFunction() {
    when(iii.call(eq("fx::rate"), any(), eq(Double.class)))
        .thenReturn(CompletableFuture.completedFuture(1.25));

    assertThat(quotes.price(new Quotes.Quote(10))).isEqualTo(new Quotes.Price(12.5));
    verify(iii).call(eq("fx::rate"), any(), eq(Double.class));
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Quotes.class)
  static class App {}

  /** A function that calls another one through the client. */
  @Component
  static class Quotes {

    record Quote(double amount) {}

    record Price(double amount) {}

    private final IIIClient iii;

    Quotes(IIIClient iii) {
      this.iii = iii;
    }

    @IIIFunction(id = "quotes::price")
    @HttpTrigger(path = "/quotes", method = "POST")
    public Price price(Quote quote) {
      Double rate = iii.call("fx::rate", "EUR", Double.class).join();
      return new Price(quote.amount() * (rate == null ? 1 : rate));
    }
  }
}
