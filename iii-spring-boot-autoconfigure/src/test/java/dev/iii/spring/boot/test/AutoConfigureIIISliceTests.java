package dev.iii.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.spring.annotation.IIIFunction;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * {@link AutoConfigureIII} without auto-configuration as a whole (a plain Spring test of a few
 * beans): the annotation imports the iii auto-configuration itself.
 */
@SpringJUnitConfig(AutoConfigureIIISliceTests.Functions.class)
@AutoConfigureIII
class AutoConfigureIIISliceTests {

  @Autowired IIITestClient iii;

  @Test
  void theFunctionIsRegisteredAndCallable() {
    assertThat(iii.call("slice::echo", Map.of("text", "hi"))).isEqualTo(Map.of("text", "hi"));
  }

  @Configuration(proxyBeanMethods = false)
  @Import(Echo.class)
  static class Functions {}

  @Component
  static class Echo {

    @IIIFunction(id = "slice::echo")
    public Map<String, Object> echo(Map<String, Object> payload) {
      return payload;
    }
  }
}
