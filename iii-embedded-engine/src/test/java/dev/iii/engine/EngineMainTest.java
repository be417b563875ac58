package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.engine.config.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EngineMain}'s command line. Starting the jar itself, and its exit codes, are proved by
 * {@code StandaloneEngineIT} in the integration tests.
 */
class EngineMainTest {

  @Test
  void defaultsAreTheOfficialPortsOnLoopback() throws IOException {
    EngineConfig config = EngineMain.parse(new String[0]).engineConfig();

    assertThat(config).isEqualTo(EngineConfig.development());
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(49134);
    assertThat(config.restApi().port()).isEqualTo(3111);
  }

  @Test
  void readsHostAndPorts() throws IOException {
    EngineMain.Options options =
        EngineMain.parse(new String[] {"--port", "0", "--host", "0.0.0.0", "--http-port", "8080"});

    assertThat(options).isEqualTo(new EngineMain.Options(null, "0.0.0.0", 0, 8080));
    EngineConfig config = options.engineConfig();
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isZero();
    assertThat(config.restApi().port()).isEqualTo(8080);
  }

  @Test
  void loadsTheConfigFileThenAppliesTheCommandLineOnTop(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(
        file,
        """
        port: 49199
        modules:
          - class: modules::api::RestApiModule
            config:
              port: 3199
          - class: modules::cron::CronModule
        """);

    EngineConfig fromFile =
        EngineMain.parse(new String[] {"--config", file.toString()}).engineConfig();
    assertThat(fromFile.host()).isEqualTo("0.0.0.0");
    assertThat(fromFile.port()).isEqualTo(49199);
    assertThat(fromFile.restApi().port()).isEqualTo(3199);
    assertThat(fromFile.httpFunctions()).isNull();

    EngineConfig overridden =
        EngineMain.parse(
                new String[] {
                  "--port",
                  "0",
                  "--config",
                  file.toString(),
                  "--host",
                  "127.0.0.1",
                  "--http-port",
                  "0"
                })
            .engineConfig();
    assertThat(overridden.host()).isEqualTo("127.0.0.1");
    assertThat(overridden.port()).isZero();
    assertThat(overridden.restApi().port()).isZero();
    assertThat(overridden.cron()).isNotNull();
  }

  @Test
  void theHostOptionReplacesTheWorkerHostOfAWorkersConfig(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(
        file,
        """
        workers:
          - name: iii-worker-manager
            config: {port: 49199, host: 0.0.0.0}
          - name: iii-http
            config: {port: 3199, host: 0.0.0.0}
        """);

    EngineConfig overridden =
        EngineMain.parse(
                new String[] {
                  "--config", file.toString(), "--host", "127.0.0.1", "--http-port", "0"
                })
            .engineConfig();

    assertThat(overridden.host()).isEqualTo("127.0.0.1");
    assertThat(overridden.port()).isEqualTo(49199);
    assertThat(overridden.restApi().host()).as("as with the 0.9 format").isEqualTo("0.0.0.0");
    assertThat(overridden.restApi().port()).isZero();

    Files.writeString(file, "workers:\n  - name: iii-cron\n");
    EngineMain.Options needsHttp =
        EngineMain.parse(new String[] {"--config", file.toString(), "--http-port", "1"});
    assertThatThrownBy(needsHttp::engineConfig).hasMessageContaining("iii-http");
  }

  @Test
  void httpPortNeedsTheRestApiModule(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "modules:\n  - class: modules::cron::CronModule\n");

    EngineMain.Options options =
        EngineMain.parse(new String[] {"--config", file.toString(), "--http-port", "1"});

    assertThatThrownBy(options::engineConfig)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("modules::api::RestApiModule");
  }

  @Test
  void aMissingConfigFileIsAnError(@TempDir Path dir) {
    EngineMain.Options options =
        EngineMain.parse(new String[] {"--config", dir.resolve("absent.yaml").toString()});

    assertThatThrownBy(options::engineConfig).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> EngineMain.parse(new String[] {"--config"}))
        .hasMessage("--config needs a value");
  }

  @Test
  void helpReturnsNoOptions() {
    assertThat(EngineMain.parse(new String[] {"--help"})).isNull();
    assertThat(EngineMain.parse(new String[] {"--port", "1", "-h"})).isNull();
  }

  @Test
  void badArgumentsAreExplained() {
    assertThatThrownBy(() -> EngineMain.parse(new String[] {"--bogus"}))
        .hasMessage("unknown option --bogus");
    assertThatThrownBy(() -> EngineMain.parse(new String[] {"--port"}))
        .hasMessage("--port needs a value");
    assertThatThrownBy(() -> EngineMain.parse(new String[] {"--port", "x"}))
        .hasMessage("--port needs a number, got x");
    assertThatThrownBy(() -> EngineMain.parse(new String[] {"--http-port", "70000"}))
        .hasMessage("--http-port must be between 0 and 65535, got 70000");
  }
}
