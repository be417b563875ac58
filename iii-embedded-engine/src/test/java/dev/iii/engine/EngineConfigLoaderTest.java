package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.EngineConfigLoader;
import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.config.RestApiConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link EngineConfigLoader}: the official engine's config file format and defaults. */
class EngineConfigLoaderTest {

  private static final Function<String, String> NO_ENV = name -> null;

  /** The shape of the official v0.9.0 SDK test fixture (sdk/fixtures/config-test.yaml). */
  private static final String OFFICIAL_FIXTURE =
      """
      port: 49199

      modules:
        - class: modules::stream::StreamModule
          config:
            port: ${STREAMS_PORT:3112}
            host: 0.0.0.0
            adapter:
              class: modules::stream::adapters::KvStore
              config:
                store_method: file_based
                file_path: ./data/stream_store

        - class: modules::state::StateModule
          config:
            adapter:
              class: modules::state::adapters::KvStore

        - class: modules::api::RestApiModule
          config:
            port: 3199
            host: 127.0.0.1
            default_timeout: 30000
            concurrency_request_limit: 1024
            cors:
              allowed_origins:
                - http://localhost:3000
                - http://localhost:5173
              allowed_methods: [GET, POST, PUT, DELETE, OPTIONS]

        - class: modules::queue::QueueModule
          config:
            adapter:
              class: modules::queue::BuiltinQueueAdapter
            queue_configs:
              default:
                max_retries: 5
                concurrency: 5

        - class: modules::pubsub::PubSubModule
          config:
            adapter:
              class: modules::pubsub::LocalAdapter

        - class: modules::observability::OtelModule
          config:
            enabled: true

        - class: modules::http_functions::HttpFunctionsModule
          config:
            security:
              url_allowlist:
                - localhost
                - 127.0.0.1
              block_private_ips: false
              require_https: false

        - class: modules::cron::CronModule
          config:
            adapter:
              class: modules::cron::KvCronAdapter
      """;

  @Test
  void loadsTheOfficialFixture() {
    EngineConfig config = EngineConfigLoader.load(OFFICIAL_FIXTURE, NO_ENV);

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(49199);
    RestApiConfig restApi = config.restApi();
    assertThat(restApi).isNotNull();
    assertThat(restApi.host()).isEqualTo("127.0.0.1");
    assertThat(restApi.port()).isEqualTo(3199);
    assertThat(restApi.defaultTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(restApi.concurrencyRequestLimit()).isEqualTo(1024);
    assertThat(restApi.cors())
        .isEqualTo(
            new RestApiConfig.CorsConfig(
                List.of("http://localhost:3000", "http://localhost:5173"),
                List.of("GET", "POST", "PUT", "DELETE", "OPTIONS")));
    assertThat(config.cron()).isNotNull();
    HttpFunctionsConfig http = config.httpFunctions();
    assertThat(http).isNotNull();
    assertThat(http.urlAllowlist()).containsExactly("localhost", "127.0.0.1");
    assertThat(http.blockPrivateIps()).isFalse();
    assertThat(http.requireHttps()).isFalse();
    assertThat(config.state()).isNotNull();
    assertThat(config.stream()).isNotNull();
    assertThat(config.queue()).isNotNull();
    assertThat(config.pubsub()).isNotNull();
    assertThat(config.skippedModules()).containsExactly("modules::observability::OtelModule");
  }

  @Test
  void modulesNotListedAreNotLoadedAndMandatoryOnesNeedNoEntry() {
    EngineConfig config =
        EngineConfigLoader.load(
            """
            modules:
              - class: modules::worker::WorkerModule
              - class: modules::cron::CronModule
            """,
            NO_ENV);

    assertThat(config.port()).isEqualTo(49134);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.restApi()).isNull();
    assertThat(config.httpFunctions()).isNull();
    assertThat(config.cron()).isNotNull();
    assertThat(config.skippedModules()).isEmpty();
  }

  @Test
  void omittedSettingsTakeTheOfficialDefaults() {
    EngineConfig config =
        EngineConfigLoader.load(
            """
            port: 0
            modules:
              - class: modules::api::RestApiModule
              - class: modules::http_functions::HttpFunctionsModule
            """,
            NO_ENV);

    assertThat(config.port()).as("port 0 means the default port").isEqualTo(49134);
    RestApiConfig restApi = config.restApi();
    assertThat(restApi.host()).as("no host: the engine's").isNull();
    assertThat(EmbeddedEngine.httpBindHost(config)).isEqualTo("0.0.0.0");
    assertThat(restApi.port()).isEqualTo(3111);
    assertThat(restApi.defaultTimeout()).isEqualTo(Duration.ofMillis(30_000));
    assertThat(restApi.cors()).as("no cors key: permissive").isNull();
    assertThat(restApi.concurrencyRequestLimit()).isEqualTo(1024);
    HttpFunctionsConfig http = config.httpFunctions();
    assertThat(http.urlAllowlist()).containsExactly("*");
    assertThat(http.blockPrivateIps()).isTrue();
    assertThat(http.requireHttps()).isTrue();
  }

  @Test
  void securityDefaultsApplyPerKeyAndAnEmptyAllowlistAllowsAnyHost() {
    EngineConfig config =
        EngineConfigLoader.load(
            """
            modules:
              - class: modules::http_functions::HttpFunctionsModule
                config:
                  security:
                    url_allowlist: []
                    require_https: false
            """,
            NO_ENV);

    HttpFunctionsConfig http = config.httpFunctions();
    assertThat(http.urlAllowlist()).containsExactly("*");
    assertThat(http.blockPrivateIps()).isTrue();
    assertThat(http.requireHttps()).isFalse();
  }

  @Test
  void substitutesVariablesWithAndWithoutDefaults() {
    Map<String, String> env = Map.of("ENGINE_PORT", "49500", "REST_HOST", "127.0.0.1");

    EngineConfig config =
        EngineConfigLoader.load(
            """
            port: ${ENGINE_PORT}
            modules:
              - class: modules::api::RestApiModule
                config:
                  host: ${REST_HOST:0.0.0.0}
                  port: ${REST_PORT:3500}
            """,
            env::get);

    assertThat(config.port()).isEqualTo(49500);
    assertThat(config.restApi().host()).isEqualTo("127.0.0.1");
    assertThat(config.restApi().port()).isEqualTo(3500);
  }

  @Test
  void anUnsetVariableWithoutDefaultNamesTheVariable() {
    assertThatThrownBy(() -> EngineConfigLoader.load("port: ${III_MISSING_PORT}\n", NO_ENV))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("III_MISSING_PORT")
        .hasMessageContaining("not set");
  }

  @Test
  void theConfiguredEnvironmentAlsoResolvesHttpFunctionSecrets() {
    EngineConfig config =
        EngineConfigLoader.load(
            "modules:\n  - class: modules::http_functions::HttpFunctionsModule\n",
            name -> name.equals("SECRET") ? "s3cr3t" : null);

    assertThat(config.httpFunctions().environment().apply("SECRET")).isEqualTo("s3cr3t");
  }

  @Test
  void badValuesAreExplained() {
    assertThatThrownBy(() -> EngineConfigLoader.load("port: 70000\n", NO_ENV))
        .hasMessageContaining("port must be between 0 and 65535");
    assertThatThrownBy(
            () ->
                EngineConfigLoader.load(
                    "modules:\n  - class: modules::api::RestApiModule\n    config:\n"
                        + "      default_timeout: soon\n",
                    NO_ENV))
        .hasMessageContaining("default_timeout");
    assertThatThrownBy(() -> EngineConfigLoader.load("modules:\n  - config: {}\n", NO_ENV))
        .hasMessageContaining("class");
    assertThatThrownBy(() -> EngineConfigLoader.load("port: [\n", NO_ENV))
        .hasMessageContaining("invalid YAML");
  }

  @Test
  void anEngineStartsFromALoadedConfigAndRunsOnlyItsModules() {
    EngineConfig config =
        EngineConfigLoader.load(
                """
                modules:
                  - class: modules::cron::CronModule
                  - class: modules::queue::QueueModule
                    config:
                      queue_configs: {default: {max_retries: 1}}
                """,
                NO_ENV)
            .withHost("127.0.0.1")
            .withPort(0);

    try (EmbeddedEngine engine = EmbeddedEngine.builder().config(config).build().start();
        RawWorker worker = RawWorker.connect(engine)) {
      worker.sendAndSync("{\"type\":\"registerfunction\",\"id\":\"cfg::tick\"}");
      worker.send(
          "{\"type\":\"registertrigger\",\"id\":\"t1\",\"trigger_type\":\"cron\","
              + "\"function_id\":\"cfg::tick\",\"config\":{\"expression\":\"* * * * * *\"}}");

      assertThat(
              worker
                  .awaitInvocation("cfg::tick", Duration.ofSeconds(3))
                  .path("data")
                  .path("job_id")
                  .asString())
          .isEqualTo("t1");
      assertThatThrownBy(engine::httpPort)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("REST API module is not loaded");
    }
  }
}
