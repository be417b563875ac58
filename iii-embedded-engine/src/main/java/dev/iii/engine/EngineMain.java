package dev.iii.engine;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded engine as a program:
 *
 * <pre>java -jar iii-embedded-engine.jar [--host H] [--port 49134] [--http-port 3111]</pre>
 *
 * <p>Prints one line with its URLs when ready; stops cleanly on SIGTERM or SIGINT.
 */
public final class EngineMain {

  private EngineMain() {}

  public static void main(String[] args) throws InterruptedException {
    // The jar's own logging setup; named so that it never shadows an embedding application's.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "iii-engine-logback.xml");
    }
    EmbeddedEngine.Builder builder = EmbeddedEngine.builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--host" -> builder.host(value(args, ++i, arg));
        case "--port" -> builder.port(intValue(args, ++i, arg));
        case "--http-port" -> builder.httpPort(intValue(args, ++i, arg));
        case "-h", "--help" -> {
          System.out.println(usage());
          return;
        }
        default -> fail("unknown option " + arg);
      }
    }
    EmbeddedEngine engine;
    try {
      engine = builder.build().start();
    } catch (RuntimeException e) {
      fail("cannot start: " + e.getMessage());
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

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      fail(option + " needs a value");
    }
    return args[index];
  }

  private static int intValue(String[] args, int index, String option) {
    String value = value(args, index, option);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      fail(option + " needs a number, got " + value);
      return -1;
    }
  }

  private static String usage() {
    return "usage: java -jar iii-embedded-engine.jar [--host 127.0.0.1] [--port 49134] [--http-port 3111]";
  }

  private static void fail(String message) {
    System.err.println("iii engine: " + message);
    System.err.println(usage());
    System.exit(2);
  }
}
