package dev.iii.bench;

import dev.iii.III;
import dev.iii.InitOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The iii-core caller process: calls {@code bench::echo} with the 100-byte payload, either from one
 * blocking thread per call in flight ({@code --mode blocking}: {@code iii.call(...).join()} in a
 * loop) or with callbacks and no thread per call ({@code --mode async}). Speaks {@link
 * LoadProtocol} on stdin/stdout.
 *
 * <pre>
 * java -cp iii-benchmarks.jar dev.iii.bench.BenchmarkMain caller --url ws://127.0.0.1:PORT --mode async
 * </pre>
 */
public final class JavaCaller {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private JavaCaller() {}

  static void run(RoleArguments args) throws IOException, InterruptedException {
    String mode = args.required("mode");
    String function = args.optional("function", JavaWorker.ECHO_FUNCTION);
    III iii =
        new III(
            args.required("url"),
            InitOptions.builder()
                .workerName("bench-java-caller-" + mode)
                .enableMetricsReporting(false)
                .build());
    iii.connect().join();
    Map<String, Object> payload = Payload.asMap();
    awaitFirstEcho(iii, function, payload);
    CallStats stats = new CallStats();
    LoadGenerator load =
        switch (mode) {
          case "blocking" ->
              new BlockingLoad(() -> iii.call(function, payload).join(), Payload::isEcho, stats);
          case "async" -> new AsyncLoad(() -> iii.call(function, payload), Payload::isEcho, stats);
          default -> throw new IllegalArgumentException("--mode must be blocking or async");
        };
    LoadProtocol.serve(load, stats);
    iii.close();
  }

  /** Calls until the worker answers (it may not be registered yet), at most 30 s. */
  private static void awaitFirstEcho(III iii, String function, Map<String, Object> payload)
      throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        Object result = iii.call(function, payload).get(5, TimeUnit.SECONDS);
        if (Payload.isEcho(result)) {
          return;
        }
        last = new IllegalStateException("unexpected result: " + result);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          throw (InterruptedException) e;
        }
        last = e;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        function + " did not answer within " + READY_TIMEOUT.toSeconds() + " s", last);
  }
}
