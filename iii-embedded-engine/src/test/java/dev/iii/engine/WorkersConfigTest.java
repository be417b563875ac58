package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.EngineConfigLoader;
import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.config.RestApiConfig.MiddlewareConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineConfigLoader} with the v0.22 config format: a {@code workers:} list of named entries
 * (official source: {@code engine/src/workers/config.rs}, fixture {@code
 * sdk/fixtures/config-test.yaml}).
 */
class WorkersConfigTest {

  private static final Function<String, String> NO_ENV = name -> null;

  /** The official v0.22.1 SDK test fixture, {@code sdk/fixtures/config-test.yaml}, abridged. */
  private static final String OFFICIAL_FIXTURE =
      """
      workers:
        - name: iii-worker-manager
          config:
            port: 49199

        - name: iii-worker-manager
          config:
            host: 0.0.0.0
            port: 49135
            middleware_function_id: test::rbac-worker::middleware
            rbac:
              auth_function_id: test::rbac-worker::auth
              expose_functions:
                - match("test::ew::public::*")

        - name: iii-stream
          config:
            port: ${STREAMS_PORT:3112}
            host: 0.0.0.0
            adapter:
              name: kv
              config:
                store_method: file_based
                file_path: ./data/stream_store

        - name: iii-state
          config:
            adapter:
              name: kv

        - name: iii-http
          config:
            host: 0.0.0.0
            port: 3199
            default_timeout: 30000

        - name: iii-pubsub
          config:
            adapter:
              name: local

        - name: iii-observability
          config:
            enabled: ${OTEL_ENABLED:true}
            service_name: ${OTEL_SERVICE_NAME:iii-test}

        - name: iii-http-functions
          config:
            security:
              url_allowlist:
                - localhost
                - 127.0.0.1
              block_private_ips: false
              require_https: false

        - name: iii-cron
          config:
            adapter:
              name: kv
      """;

  @Test
  void loadsTheOfficialFixture() {
    EngineConfig config;
    try (EngineLogCapture logs = new EngineLogCapture()) {
      config = EngineConfigLoader.load(OFFICIAL_FIXTURE, NO_ENV);

      assertThat(logs.warnings())
          .as("the second worker listener is not run, and says so")
          .anyMatch(line -> line.contains("another instance of iii-worker-manager"));
    }

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).as("the first iii-worker-manager").isEqualTo(49199);
    RestApiConfig restApi = config.restApi();
    assertThat(restApi).isNotNull();
    assertThat(restApi.host()).isEqualTo("0.0.0.0");
    assertThat(restApi.port()).isEqualTo(3199);
    assertThat(restApi.defaultTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(restApi.concurrencyRequestLimit()).isEqualTo(1024);
    assertThat(restApi.cors()).isNull();
    assertThat(restApi.middleware()).isEmpty();
    assertThat(config.cron()).isNotNull();
    HttpFunctionsConfig http = config.httpFunctions();
    assertThat(http).isNotNull();
    assertThat(http.urlAllowlist()).containsExactly("localhost", "127.0.0.1");
    assertThat(http.blockPrivateIps()).isFalse();
    assertThat(http.requireHttps()).isFalse();
    assertThat(config.stream()).isNotNull();
    assertThat(config.state()).isNotNull();
    assertThat(config.pubsub()).isNotNull();
    assertThat(config.queue()).isNull();
    assertThat(config.skippedModules()).containsExactly("iii-observability");
  }

  @Test
  void theMigratedNamesAndGlobalMiddlewareAreRead() {
    EngineConfig config =
        EngineConfigLoader.load(
            """
            workers:
              - name: http
                config:
                  cors: {allowed_origins: ["https://app.example"], allowed_methods: [GET]}
                  concurrency_request_limit: 0
                  middleware:
                    - function_id: mw::late
                      priority: 10
                    - function_id: mw::first
                      priority: -1
                    - function_id: mw::second
                    - function_id: mw::never
                      phase: onResponse
              - name: cron
            """,
            NO_ENV);

    RestApiConfig restApi = config.restApi();
    assertThat(restApi.port()).isEqualTo(3111);
    assertThat(restApi.host()).as("no host: the engine's").isNull();
    assertThat(EmbeddedEngine.httpBindHost(config)).isEqualTo("0.0.0.0");
    assertThat(restApi.concurrencyRequestLimit()).as("0 is clamped, as officially").isEqualTo(1);
    assertThat(restApi.cors().allowedOrigins()).containsExactly("https://app.example");
    assertThat(restApi.middleware())
        .containsExactly(
            new MiddlewareConfig("mw::first", "preHandler", -1),
            new MiddlewareConfig("mw::second", "preHandler", 0),
            new MiddlewareConfig("mw::never", "onResponse", 0),
            new MiddlewareConfig("mw::late", "preHandler", 10));
    assertThat(config.cron()).isNotNull();
    assertThat(config.port()).as("no iii-worker-manager entry").isEqualTo(49134);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.httpFunctions()).isNull();
  }

  @Test
  void aConfigThatLoadsNothingSaysSo() {
    for (String yaml : new String[] {"workers: []\n", "modules: []\n", ""}) {
      try (EngineLogCapture logs = new EngineLogCapture()) {
        EngineConfig config = EngineConfigLoader.load(yaml, NO_ENV);

        assertThat(config.restApi()).isNull();
        assertThat(config.cron()).isNull();
        assertThat(logs.warnings())
            .as(yaml)
            .anyMatch(line -> line.contains("no REST API, cron or HTTP functions"));
      }
    }
  }

  @Test
  void invalidFilesAreRefusedWithTheReason() {
    assertThatThrownBy(
            () ->
                EngineConfigLoader.load(
                    "workers:\n  - name: iii-http\n    config: {prot: 3000}\n", NO_ENV))
        .hasMessageContaining("iii-http")
        .hasMessageContaining("unknown setting prot");
    assertThatThrownBy(
            () -> EngineConfigLoader.load("workers:\n  - name: iii-http\n  - name: http\n", NO_ENV))
        .hasMessage(
            "Duplicate worker configurations:\n- 'iii-http' is the deprecated name for 'http', but"
                + " both are present. Remove 'iii-http' from your configuration.");
    assertThatThrownBy(
            () -> EngineConfigLoader.load("port: 49134\nworkers:\n  - name: iii-http\n", NO_ENV))
        .hasMessageContaining("mixes");
    assertThatThrownBy(
            () ->
                EngineConfigLoader.load(
                    "modules:\n  - name: iii-cron\n  - class: modules::cron::CronModule\n", NO_ENV))
        .hasMessageContaining("mixes");
    assertThatThrownBy(() -> EngineConfigLoader.load("worker:\n  - name: iii-http\n", NO_ENV))
        .hasMessageContaining("unknown top-level key worker");
    assertThatThrownBy(() -> EngineConfigLoader.load("workers:\n  - config: {}\n", NO_ENV))
        .hasMessageContaining("needs a name");
    assertThatThrownBy(() -> EngineConfigLoader.load("workers: iii-http\n", NO_ENV))
        .hasMessageContaining("workers must be a list");
    assertThatThrownBy(
            () ->
                EngineConfigLoader.load(
                    "workers:\n  - name: iii-http\n    config:\n      middleware: [{phase: x}]\n",
                    NO_ENV))
        .hasMessageContaining("function_id");
  }

  @Test
  void modulesEntriesWithNamesAndImagesFollowTheNewFormat() {
    EngineConfig config =
        EngineConfigLoader.load(
            """
            modules:
              - name: iii-cron
              - name: my-worker
                image: ghcr.io/acme/my-worker:1
              - name: iii-engine-functions
              - name: configuration
            """,
            NO_ENV);

    assertThat(config.cron()).isNotNull();
    assertThat(config.restApi()).isNull();
    assertThat(config.skippedModules()).containsExactly("my-worker");
  }

  @Test
  void anEngineServesWhatAWorkersConfigLists() throws Exception {
    EngineConfig config =
        EngineConfigLoader.load(
                """
                workers:
                  - name: iii-worker-manager
                    config: {port: 0, host: 127.0.0.1}
                  - name: iii-http
                    config: {port: 0, host: 127.0.0.1}
                """,
                Map.<String, String>of()::get)
            .withPort(0);

    try (EmbeddedEngine engine = EmbeddedEngine.builder().config(config).build().start()) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(engine.httpUrl() + "/nothing"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(engine.wsUrl()).startsWith("ws://127.0.0.1:");
      assertThat(response.statusCode()).isEqualTo(404);
    }
  }
}
