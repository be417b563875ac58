package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.EngineConfigLoader;
import dev.iii.engine.config.StreamConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code iii-stream} settings, as the official config files write them. */
class StreamConfigTest {

  private static EngineConfig load(String yaml) {
    return EngineConfigLoader.load(yaml, Map.<String, String>of()::get);
  }

  @Test
  void theDefaultsAreTheOfficialOnesAndDevelopmentKeepsTheEngineHost() {
    StreamConfig defaults = StreamConfig.defaults();
    assertThat(defaults.port()).isEqualTo(3112);
    assertThat(defaults.host()).isNull();
    assertThat(defaults.authFunction()).isNull();
    assertThat(defaults.storeMethod()).isEqualTo("in_memory");
    assertThat(EngineConfig.development().stream()).isEqualTo(defaults);
    assertThat(EngineConfig.development().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void aWorkersEntryReadsPortHostAuthFunctionAndTheKvAdapter() {
    StreamConfig stream =
        load(
            """
                workers:
                  - name: iii-stream
                    config:
                      port: 4000
                      host: 127.0.0.1
                      auth_function: auth::stream
                      adapter:
                        name: kv
                        config: {store_method: file_based, file_path: ./data/streams, save_interval_ms: 1000}
                """)
            .stream();
    assertThat(stream)
        .isEqualTo(
            new StreamConfig(
                "127.0.0.1", 4000, "auth::stream", "file_based", "./data/streams", 1000));
  }

  @Test
  void aWorkersEntryRefusesUnknownKeysAsTheOfficialEngineDoes() {
    assertThatThrownBy(() -> load("workers:\n  - name: iii-stream\n    config: {prot: 1}\n"))
        .hasMessageContaining("unknown setting prot");
    assertThatThrownBy(
            () -> load("workers:\n  - name: iii-stream\n    config: {adapter: {name: mongo}}\n"))
        .hasMessageContaining("unknown stream adapter mongo");
  }

  @Test
  void theRedisAdapterFallsBackToTheInMemoryStore() {
    StreamConfig stream =
        load(
            "workers:\n  - name: iii-stream\n    config: {adapter: {name: redis, config:"
                + " {redis_url: 'redis://x'}}}\n")
            .stream();
    assertThat(stream.storeMethod()).isEqualTo("in_memory");
  }

  @Test
  void theBuilderSetsTheStreamPortAndRefusesItWithoutTheModule() {
    try (EmbeddedEngine engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .build()
            .start()) {
      assertThat(engine.streamPort()).isPositive().isNotEqualTo(3112);
    }
    assertThatThrownBy(
            () ->
                EmbeddedEngine.builder()
                    .config(EngineConfig.development().withStream(null))
                    .streamPort(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stream module is not loaded");
  }

  @Test
  void theProgramTakesAStreamPort() throws Exception {
    EngineConfig config = EngineMain.parse(new String[] {"--stream-port", "0"}).engineConfig();
    assertThat(config.stream().port()).isZero();
  }
}
