package dev.iii.bench;

import dev.iii.ApiRequest;
import dev.iii.ApiResponse;
import dev.iii.III;
import dev.iii.InitOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The iii-core worker process: registers {@code bench::echo} (returns its input) and, with {@code
 * --http}, {@code bench::http} bound to {@code POST /bench/echo} on the engine's REST port (answers
 * with the request body).
 *
 * <pre>
 * java -cp iii-benchmarks.jar dev.iii.bench.BenchmarkMain worker --url ws://127.0.0.1:PORT [--http]
 * </pre>
 *
 * <p>Prints {@code ready} once connected and runs until its stdin closes or it is killed.
 */
public final class JavaWorker {

  /** The function every caller calls. */
  public static final String ECHO_FUNCTION = "bench::echo";

  /** The function behind the HTTP route. */
  public static final String HTTP_FUNCTION = "bench::http";

  /** The REST path the HTTP scenarios post to. */
  public static final String HTTP_PATH = "/bench/echo";

  private JavaWorker() {}

  static void run(RoleArguments args) throws IOException {
    III iii =
        new III(
            args.required("url"),
            InitOptions.builder()
                .workerName("bench-java-worker")
                .enableMetricsReporting(false)
                .build());
    iii.registerFunction(ECHO_FUNCTION, input -> input);
    if (args.flag("http")) {
      iii.registerFunction(
          HTTP_FUNCTION, input -> new ApiResponse(200, ApiRequest.from(input).body()));
      iii.registerTrigger(
          "http", HTTP_FUNCTION, Map.of("api_path", HTTP_PATH, "http_method", "POST"));
    }
    iii.connect().join();
    System.out.println("ready");
    System.out.flush();
    waitForEndOfInput();
    iii.close();
  }

  /** Blocks until stdin closes (the harness closes it, or dies). */
  static void waitForEndOfInput() throws IOException {
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // the harness sends nothing but end of input
    }
  }
}
