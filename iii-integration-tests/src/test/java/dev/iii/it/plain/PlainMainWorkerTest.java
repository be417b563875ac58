package dev.iii.it.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.InitOptions;
import dev.iii.engine.EmbeddedEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code main} worker ({@link PlainMainWorker}) in its own JVM: it stays up on {@code
 * awaitShutdown()} although every client thread is a daemon, and on SIGTERM its shutdown hook lets
 * the running invocation finish — refusing new ones meanwhile — before the JVM exits.
 */
class PlainMainWorkerTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final EmbeddedEngine engine =
      EmbeddedEngine.builder().port(0).httpPort(0).streamPort(0).build();
  private final List<String> output = new CopyOnWriteArrayList<>();
  private Process worker;
  private III caller;

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.destroyForcibly();
    }
    if (caller != null) {
      caller.close();
    }
    engine.close();
  }

  @Test
  void staysUpUntilSigtermThenDrainsTheRunningInvocation(@TempDir Path dir) throws Exception {
    engine.start();
    worker = startWorker();
    await().atMost(WAIT).until(() -> output.contains("READY"));
    caller = new III(engine.wsUrl(), InitOptions.builder().workerName("caller").build());
    caller.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    // main() is blocked in awaitShutdown(): the JVM is up and the worker answers.
    assertThat(caller.call("plain::echo", Map.of("value", "up")).get(30, TimeUnit.SECONDS))
        .isEqualTo("up");
    assertThat(worker.isAlive()).isTrue();

    Path release = dir.resolve("release");
    CompletableFuture<Object> held =
        caller.call("plain::held", Map.of("release", release.toString()), Duration.ofSeconds(60));
    await().atMost(WAIT).until(() -> output.contains("STARTED"));

    // SIGTERM, through the handle: Process.destroy() would also close our end of its output.
    assertThat(worker.toHandle().destroy()).isTrue();
    await()
        .atMost(WAIT)
        .until(() -> output.stream().anyMatch(line -> line.contains("lets running invocations")));

    // Draining: a new invocation is refused, the running one goes on.
    Throwable refused =
        catchCause(caller.call("plain::echo", Map.of("value", "late"), Duration.ofSeconds(30)));
    assertThat(refused).isInstanceOf(IIIException.class);
    assertThat(((IIIException) refused).code()).isEqualTo(IIIException.UNAVAILABLE);
    assertThat(worker.isAlive()).isTrue();
    assertThat(held).isNotDone();

    Files.createFile(release);
    assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo("finished");
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).isEqualTo(143); // 128 + SIGTERM: exited by the signal
  }

  private Process startWorker() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                PlainMainWorker.class.getName(),
                engine.wsUrl())
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  output.add(line);
                  System.out.println("[plain-main] " + line);
                }
              } catch (Exception e) {
                // the process ended
              }
            },
            "plain-main-output");
    reader.setDaemon(true);
    reader.start();
    return process;
  }

  private static Throwable catchCause(CompletableFuture<?> future) throws Exception {
    try {
      future.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + future.join());
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
