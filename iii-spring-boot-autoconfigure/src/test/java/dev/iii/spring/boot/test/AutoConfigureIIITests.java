package dev.iii.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.IIIClient;
import dev.iii.IIIException;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * A user's test with {@link AutoConfigureIII}: the application runs against an embedded engine on
 * free ports, and {@link IIITestClient} calls its function directly and through its HTTP route. A
 * function of another service it depends on is played by a stand-in registered through the test
 * client.
 */
@SpringBootTest(
    classes = AutoConfigureIIITests.App.class,
    properties = "spring.main.web-application-type=none")
@AutoConfigureIII
class AutoConfigureIIITests {

  @Autowired IIITestClient iii;
  @Autowired EmbeddedEngine engine;

  @Test
  void theEngineListensOnFreePorts() {
    assertThat(engine.port()).isNotEqualTo(EmbeddedEngine.DEFAULT_PORT);
    assertThat(engine.httpPort()).isNotEqualTo(EmbeddedEngine.DEFAULT_HTTP_PORT);
    assertThat(engine.streamPort()).isNotEqualTo(dev.iii.engine.config.StreamConfig.DEFAULT_PORT);
    assertThat(iii.httpUrl()).startsWith("http://127.0.0.1:");
  }

  @Test
  void callsTheFunction() {
    Quotes.Price price = iii.call("quotes::price", new Quotes.Quote(10, "EUR"), Quotes.Price.class);

    assertThat(price).isEqualTo(new Quotes.Price(10, "EUR"));
  }

  @Test
  void hitsTheHttpRoute() {
    IIITestClient.Response response = iii.post("/quotes", Map.of("amount", 4, "currency", "USD"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(response.body(Quotes.Price.class)).isEqualTo(new Quotes.Price(4, "USD"));
  }

  @Test
  void aFunctionErrorIsThrownWithItsCode() {
    assertThatThrownBy(() -> iii.call("quotes::price", Map.of("amount", "ten")))
        .isInstanceOfSatisfying(
            IIIException.class, e -> assertThat(e.code()).isEqualTo("invalid_argument"));
  }

  @Test
  void theFunctionCallsAStandInForAnotherService() {
    IIIClient stub = iii.client();
    var rate = stub.registerFunction("fx::rate", input -> 2.0);
    try {
      Quotes.Price price =
          iii.call("quotes::convert", new Quotes.Quote(10, "EUR"), Quotes.Price.class);

      assertThat(price).isEqualTo(new Quotes.Price(20, "USD"));
    } finally {
      rate.unregister();
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Quotes.class)
  static class App {}

  /** The application's functions. */
  @Component
  static class Quotes {

    record Quote(double amount, String currency) {}

    record Price(double amount, String currency) {}

    private final IIIClient iii;

    Quotes(IIIClient iii) {
      this.iii = iii;
    }

    @IIIFunction(id = "quotes::price")
    @HttpTrigger(path = "/quotes", method = "POST")
    public Price price(Quote quote) {
      return new Price(quote.amount(), quote.currency());
    }

    @IIIFunction(id = "quotes::convert")
    public Price convert(Quote quote) {
      Double rate = iii.call("fx::rate", quote.currency(), Double.class).join();
      return new Price(quote.amount() * (rate == null ? 1 : rate), "USD");
    }
  }
}
