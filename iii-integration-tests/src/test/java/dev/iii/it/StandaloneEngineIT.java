package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.III;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stand-alone engine as a user runs it: {@code java -jar iii-embedded-engine.jar}, one ready
 * line with its URLs, workers served, a clean stop on SIGTERM.
 */
class StandaloneEngineIT {

  @Test
  void runsFromTheJarServesWorkersAndStopsOnSigterm() throws Exception {
    try (EngineProcess engine =
        EngineProcess.start(
            List.of(),
            List.of(
                "--host", "127.0.0.1", "--port", "0", "--http-port", "0", "--stream-port", "0"))) {
      try (III provider = new III(engine.wsUrl());
          III caller = new III(engine.wsUrl())) {
        provider.registerFunction("jar::hello", input -> Map.of("hello", "from the jar"));
        provider.connect().get(10, TimeUnit.SECONDS);
        caller.connect().get(10, TimeUnit.SECONDS);
        assertThat(caller.call("jar::hello", null).get(10, TimeUnit.SECONDS))
            .isEqualTo(Map.of("hello", "from the jar"));
      }

      assertThat(engine.stop()).as("exit status after SIGTERM").isIn(0, 143);
    }
  }

  @Test
  void rejectsUnknownOptionsWithUsage() throws Exception {
    Path jar = Path.of(System.getProperty("iii.engine.jar", "missing"));
    Process engine =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                jar.toString(),
                "--bogus")
            .redirectErrorStream(true)
            .start();
    String output = new String(engine.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(engine.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(engine.exitValue()).isEqualTo(2);
    assertThat(output).contains("unknown option --bogus").contains("usage:");
    assertThat(Files.exists(jar)).isTrue();
  }
}
