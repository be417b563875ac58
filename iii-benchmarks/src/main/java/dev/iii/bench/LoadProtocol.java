package dev.iii.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The line protocol between the harness and a load-generating process (Java caller, HTTP load; the
 * Node caller speaks it too).
 *
 * <pre>
 * process stdout: ready                     once the target answered a first call
 * harness stdin:  load N                    keep N calls in flight (0 = pause)
 *                 start                     open a measurement window
 *                 stop                      close it; the process answers: result {json}
 *                 quit (or end of input)    stop calling and exit
 * </pre>
 *
 * <p>The {@code result} JSON is written by {@link CallStats#stopWindow()}. Everything else a
 * process has to say goes to stderr.
 */
final class LoadProtocol {

  private LoadProtocol() {}

  /**
   * Announces {@code ready} and serves commands from stdin until {@code quit} or end of input.
   *
   * @throws IOException when stdin cannot be read
   */
  static void serve(LoadGenerator load, CallStats stats) throws IOException {
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String command = line.trim();
      if (command.startsWith("load ")) {
        load.setInFlight(Integer.parseInt(command.substring(5).trim()));
      } else if (command.equals("start")) {
        stats.startWindow();
      } else if (command.equals("stop")) {
        System.out.println("result " + stats.stopWindow());
        System.out.flush();
      } else if (command.equals("quit")) {
        break;
      } else if (!command.isEmpty()) {
        System.err.println("unknown command: " + command);
      }
    }
    load.setInFlight(0);
  }
}
