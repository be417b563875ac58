package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.EngineConfigLoader;
import dev.iii.engine.config.PubSubConfig;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The pub/sub entry in both config formats: the official {@code adapter} key and its default, the
 * {@code redis} adapter replaced with a warning when the engine starts, and refusals.
 */
class PubSubConfigTest {

  private static final Function<String, String> NO_ENV = name -> null;

  private static PubSubConfig workers(String entry) {
    EngineConfig config = EngineConfigLoader.load("workers:\n" + entry, NO_ENV);
    assertThat(config.pubsub()).isNotNull();
    return config.pubsub();
  }

  @Test
  void theDefaultIsTheLocalAdapter() {
    assertThat(workers("  - name: iii-pubsub\n")).isEqualTo(PubSubConfig.defaults());
    assertThat(workers("  - name: pubsub\n    config:\n      adapter:\n        name: local\n"))
        .isEqualTo(new PubSubConfig("local"));
    assertThat(EngineConfig.development().pubsub()).isEqualTo(PubSubConfig.defaults());
  }

  @Test
  void theRedisAdapterIsAcceptedAndReplaced() {
    PubSubConfig config =
        workers(
            "  - name: iii-pubsub\n    config:\n      adapter:\n        name: redis\n"
                + "        config:\n          redis_url: redis://localhost:6379\n");

    assertThat(config.adapter()).isEqualTo("redis");
    assertThat(config.adapterReplaced()).isTrue();
    try (EngineLogCapture logs = new EngineLogCapture();
        EmbeddedEngine engine =
            EmbeddedEngine.builder()
                .config(EngineConfig.development().withPubsub(config))
                .host("127.0.0.1")
                .port(0)
                .httpPort(0)
                .build()
                .start()) {
      assertThat(engine.port()).isPositive();
      assertThat(logs.warnings())
          .anyMatch(w -> w.contains("redis adapter is not available in the embedded engine"));
    }
  }

  @Test
  void the09FormatNamesAdaptersByClass() {
    EngineConfig local =
        EngineConfigLoader.load(
            "modules:\n  - class: modules::pubsub::PubSubModule\n    config:\n      adapter:\n"
                + "        class: modules::pubsub::LocalAdapter\n",
            NO_ENV);
    EngineConfig redis =
        EngineConfigLoader.load(
            "modules:\n  - class: modules::pubsub::PubSubModule\n    config:\n      adapter:\n"
                + "        class: modules::pubsub::RedisAdapter\n",
            NO_ENV);

    assertThat(local.pubsub()).isEqualTo(new PubSubConfig("local"));
    assertThat(redis.pubsub()).isEqualTo(new PubSubConfig("redis"));
  }

  @Test
  void unknownAdaptersAndSettingsAreRefused() {
    assertThatThrownBy(
            () ->
                workers("  - name: iii-pubsub\n    config:\n      adapter:\n        name: nats\n"))
        .hasMessageContaining("PubSub adapter factory 'nats' not found");
    assertThatThrownBy(() -> workers("  - name: iii-pubsub\n    config:\n      channel_size: 5\n"))
        .hasMessageContaining("unknown setting channel_size");
    assertThatThrownBy(() -> workers("  - name: iii-pubsub\n    config:\n      adapter: local\n"))
        .hasMessageContaining("adapter must be a mapping");
  }
}
