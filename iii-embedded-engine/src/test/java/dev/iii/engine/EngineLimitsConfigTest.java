package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.EngineConfigLoader;
import dev.iii.engine.config.EngineLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code limits:} section of a config file and the official worker-manager's handshake key. */
class EngineLimitsConfigTest {

  @Test
  void aConfigWithoutLimitsRunsWithTheDefaults() {
    EngineConfig config = EngineConfigLoader.load("workers:\n  - name: iii-http\n", name -> null);

    assertThat(config.limits()).isEqualTo(EngineLimits.defaults());
    assertThat(EngineConfig.development().limits()).isEqualTo(EngineLimits.defaults());
  }

  @Test
  void theLimitsSectionOverridesWhatItNamesInEitherFormat() {
    String section =
        "limits:\n"
            + "  max_request_body_bytes: 1024\n"
            + "  invocation_timeout_ms: ${TIMEOUT}\n"
            + "  max_outbound_bytes: 70000000\n";
    EngineConfig workers =
        EngineConfigLoader.load(
            "workers:\n  - name: iii-http\n" + section,
            name -> name.equals("TIMEOUT") ? "250" : null);
    EngineConfig modules =
        EngineConfigLoader.load(
            "modules:\n  - class: modules::cron::CronModule\n" + section,
            name -> name.equals("TIMEOUT") ? "250" : null);

    for (EngineConfig config : new EngineConfig[] {workers, modules}) {
      assertThat(config.limits().maxRequestBodyBytes()).isEqualTo(1024);
      assertThat(config.limits().invocationTimeout()).isEqualTo(Duration.ofMillis(250));
      assertThat(config.limits().maxOutboundBytes()).isEqualTo(70_000_000L);
      assertThat(config.limits().maxMessageBytes())
          .isEqualTo(EngineLimits.defaults().maxMessageBytes());
    }
  }

  @Test
  void theOfficialHandshakeTimeoutKeySetsTheHandshakeLimit() {
    EngineConfig config =
        EngineConfigLoader.load(
            "workers:\n"
                + "  - name: iii-worker-manager\n"
                + "    config: {port: 0, handshake_timeout_ms: 1500}\n",
            name -> null);

    assertThat(config.limits().handshakeTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void unknownKeysAndBadValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> EngineConfigLoader.load("limits: {max_body: 1}\n", name -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_body")
        .hasMessageContaining("max_request_body_bytes");
    assertThatThrownBy(
            () -> EngineConfigLoader.load("limits: {idle_timeout_ms: 0}\n", name -> null))
        .hasMessageContaining("idle_timeout_ms must be positive");
    assertThatThrownBy(
            () -> EngineConfigLoader.load("limits: {max_outbound_bytes: 10}\n", name -> null))
        .hasMessageContaining("max_outbound_bytes")
        .hasMessageContaining("max_message_bytes");
  }

  @Test
  void theBuilderSetsTheLimits() {
    EngineLimits limits = EngineLimits.defaults().withMaxRequestBodyBytes(10);

    try (EmbeddedEngine engine = EmbeddedEngine.builder().limits(limits).build()) {
      assertThat(engine.config().limits()).isEqualTo(limits);
    }
  }
}
