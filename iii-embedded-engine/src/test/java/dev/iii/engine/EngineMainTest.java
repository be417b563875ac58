package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link EngineMain}'s command line. Starting the jar itself, and its exit codes, are proved by
 * {@code StandaloneEngineIT} in the integration tests.
 */
class EngineMainTest {

  @Test
  void defaultsAreTheOfficialPortsOnLoopback() {
    assertThat(EngineMain.parse(new String[0]))
        .isEqualTo(new EngineMain.Options("127.0.0.1", 49134, 3111));
  }

  @Test
  void readsHostAndPorts() {
    assertThat(
            EngineMain.parse(
                new String[] {"--port", "0", "--host", "0.0.0.0", "--http-port", "8080"}))
        .isEqualTo(new EngineMain.Options("0.0.0.0", 0, 8080));
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
