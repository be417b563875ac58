package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.III;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stand-alone engine as a user runs it: {@code java -jar iii-embedded-engine.jar}, one ready
 * line with its URLs, workers served, a clean stop on SIGTERM.
 */
class StandaloneEngineIT {

  private static final Pattern READY =
      Pattern.compile("iii engine ready: workers (ws://\\S+) \\| http (http://\\S+)");

  @Test
  void runsFromTheJarServesWorkersAndStopsOnSigterm() throws Exception {
    Path jar = Path.of(System.getProperty("iii.engine.jar", "missing"));
    assertThat(jar).as("the stand-alone jar is built by the package phase").exists();
    Process engine =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                jar.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--http-port",
                "0")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      CompletableFuture<Matcher> ready =
          CompletableFuture.supplyAsync(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher matcher = READY.matcher(line);
                    if (matcher.matches()) {
                      return matcher;
                    }
                  }
                  throw new IllegalStateException("engine exited before it was ready");
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      Matcher urls = ready.get(30, TimeUnit.SECONDS);

      try (III provider = new III(urls.group(1));
          III caller = new III(urls.group(1))) {
        provider.registerFunction("jar::hello", input -> Map.of("hello", "from the jar"));
        provider.connect().get(10, TimeUnit.SECONDS);
        caller.connect().get(10, TimeUnit.SECONDS);
        assertThat(caller.call("jar::hello", null).get(10, TimeUnit.SECONDS))
            .isEqualTo(Map.of("hello", "from the jar"));
      }

      engine.destroy(); // SIGTERM
      assertThat(engine.waitFor(15, TimeUnit.SECONDS)).as("engine stops on SIGTERM").isTrue();
      assertThat(engine.exitValue()).isIn(0, 143);
    } finally {
      engine.destroyForcibly();
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
