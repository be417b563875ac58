package dev.iii.it.plain;

import dev.iii.III;
import dev.iii.InitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker as a plain Java program would write it: register, connect, then {@link
 * III#awaitShutdown()}. Run by {@link PlainMainWorkerTest} in its own JVM.
 *
 * <p>{@code plain::held} says on stdout when it starts, then holds its invocation until the file
 * named in its input exists, so that the test decides when it ends.
 */
public final class PlainMainWorker {

  private PlainMainWorker() {}

  public static void main(String[] args) throws Exception {
    III iii =
        new III(
            args[0],
            InitOptions.builder()
                .workerName("plain-main")
                .enableMetricsReporting(false)
                .shutdownTimeout(Duration.ofSeconds(60))
                .build());
    iii.registerFunction("plain::echo", input -> ((Map<?, ?>) input).get("value"));
    iii.registerFunction(
        "plain::held",
        input -> {
          Path release = Path.of((String) ((Map<?, ?>) input).get("release"));
          System.out.println("STARTED");
          System.out.flush();
          while (!Files.exists(release)) {
            LockSupport.parkNanos(10_000_000); // the workload: hold until the test releases it
          }
          return "finished";
        });
    iii.connect().join();
    System.out.println("READY");
    System.out.flush();
    iii.awaitShutdown();
  }
}
