package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Proves {@link EngineMain}'s argument handling on the paths that do not end the JVM: {@code
 * --help}, and a start with {@code --host/--port/--http-port} that prints a ready line with working
 * URLs. (Invalid arguments call {@code System.exit(2)} and cannot be tested in-process.)
 */
class EngineMainTest {

  private static final Pattern READY =
      Pattern.compile("iii engine ready: workers (ws://\\S+) \\| http (http://\\S+)");

  @Test
  void helpPrintsUsageAndReturns() throws Exception {
    String out = captureStdout(() -> EngineMain.main(new String[] {"--help"}), "usage:");

    assertThat(out).contains("usage: java -jar iii-embedded-engine.jar");
  }

  @Test
  void startsOnTheGivenHostAndPortsAndPrintsItsUrls() throws Exception {
    Thread main =
        new Thread(
            () -> {
              try {
                EngineMain.main(
                    new String[] {"--host", "127.0.0.1", "--port", "0", "--http-port", "0"});
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "engine-main-under-test");
    // The engine then runs until the test JVM exits (its shutdown hook closes it).
    main.setDaemon(true);

    String out = captureStdout(main::start, "iii engine ready");

    Matcher ready = READY.matcher(out);
    assertThat(ready.find()).as("ready line in %s", out).isTrue();
    assertThat(ready.group(1)).startsWith("ws://127.0.0.1:");
    assertThat(ready.group(2)).startsWith("http://127.0.0.1:");
    try (RawWorker worker = RawWorker.connect(ready.group(1))) {
      worker.sync();
    }
  }

  private interface Action {
    void run() throws Exception;
  }

  /** Runs the action with stdout captured until the text appears (or 10 s pass). */
  private static String captureStdout(Action action, String waitFor) throws Exception {
    PrintStream original = System.out;
    String originalLogbackConfig = System.getProperty("logback.configurationFile");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      action.run();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> buffer.toString(StandardCharsets.UTF_8).contains(waitFor));
      return buffer.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(original);
      if (originalLogbackConfig == null) {
        System.clearProperty("logback.configurationFile");
      }
    }
  }
}
