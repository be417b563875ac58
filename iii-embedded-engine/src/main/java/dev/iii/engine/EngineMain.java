package dev.iii.engine;

import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * Runs the embedded engine as a program:
 *
 * <pre>java -jar iii-embedded-engine.jar [--host H] [--port 49134] [--http-port 3111]</pre>
 *
 * <p>Prints one line with its URLs when ready; stops cleanly on SIGTERM or SIGINT.
 */
public final class EngineMain {

  static final String USAGE =
      "usage: java -jar iii-embedded-engine.jar [--host 127.0.0.1] [--port 49134]"
          + " [--http-port 3111]";

  /** The command line, parsed. */
  record Options(String host, int port, int httpPort) {}

  private EngineMain() {}

  public static void main(String[] args) throws InterruptedException {
    // The jar's own logging setup; named so that it never shadows an embedding application's.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "iii-engine-logback.xml");
    }
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("iii engine: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.println(USAGE);
      return;
    }
    EmbeddedEngine engine;
    try {
      engine =
          EmbeddedEngine.builder()
              .host(options.host())
              .port(options.port())
              .httpPort(options.httpPort())
              .build()
              .start();
    } catch (RuntimeException e) {
      System.err.println("iii engine: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  engine.close();
                  stopped.countDown();
                },
                "iii-engine-shutdown"));
    System.out.println(
        "iii engine ready: workers " + engine.wsUrl() + " | http " + engine.httpUrl());
    stopped.await();
  }

  /**
   * Parses the command line.
   *
   * @return the options, or {@code null} when help was asked for
   * @throws IllegalArgumentException with a message for the user when the arguments are wrong
   */
  static @Nullable Options parse(String[] args) {
    String host = EmbeddedEngine.DEFAULT_HOST;
    int port = EmbeddedEngine.DEFAULT_PORT;
    int httpPort = EmbeddedEngine.DEFAULT_HTTP_PORT;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--host" -> host = value(args, ++i, arg);
        case "--port" -> port = portValue(args, ++i, arg);
        case "--http-port" -> httpPort = portValue(args, ++i, arg);
        case "-h", "--help" -> {
          return null;
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new Options(host, port, httpPort);
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int portValue(String[] args, int index, String option) {
    String value = value(args, index, option);
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(option + " must be between 0 and 65535, got " + value);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got " + value);
    }
  }
}
