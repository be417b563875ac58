package dev.iii.engine;

import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.EngineConfigLoader;
import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.config.StreamConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * Runs the embedded engine as a program:
 *
 * <pre>
 * java -jar iii-embedded-engine.jar [--config config.yaml] [--host H] [--port 49134] [--http-port 3111]
 *     [--stream-port 3112]
 * </pre>
 *
 * <p>Without {@code --config} it runs the development defaults ({@link
 * EngineConfig#development()}); with it, the file in the official engine's format ({@link
 * EngineConfigLoader}). Options given on the command line override the file; {@code --host} binds
 * every listener whose settings in the file name no host of their own. Prints one line with the
 * addresses it is bound to when ready; stops cleanly on SIGTERM or SIGINT.
 */
public final class EngineMain {

  static final String USAGE =
      "usage: java -jar iii-embedded-engine.jar [--config config.yaml] [--host 127.0.0.1]"
          + " [--port 49134] [--http-port 3111] [--stream-port 3112]";

  /**
   * The command line, parsed; {@code null} for what was not given.
   *
   * @param config the config file, or {@code null} for the development defaults
   * @param streamPort the stream WebSocket port ({@code --stream-port})
   */
  record Options(
      @Nullable Path config,
      @Nullable String host,
      @Nullable Integer port,
      @Nullable Integer httpPort,
      @Nullable Integer streamPort) {

    Options(
        @Nullable Path config,
        @Nullable String host,
        @Nullable Integer port,
        @Nullable Integer httpPort) {
      this(config, host, port, httpPort, null);
    }

    /**
     * What the engine runs: the config file (or the development defaults), then the command line's
     * host and ports on top.
     *
     * @throws IOException when the config file cannot be read
     * @throws IllegalArgumentException when it is not valid, or --http-port is given while the file
     *     does not load the REST API module
     */
    EngineConfig engineConfig() throws IOException {
      EngineConfig result =
          config == null ? EngineConfig.development() : EngineConfigLoader.load(config);
      if (host != null) {
        result = result.withHost(host);
      }
      if (port != null) {
        result = result.withPort(port);
      }
      if (httpPort != null) {
        RestApiConfig restApi = result.restApi();
        if (restApi == null) {
          throw new IllegalArgumentException(
              "--http-port given, but the config file does not load the REST API ("
                  + EngineConfigLoader.HTTP_WORKER
                  + " or "
                  + EngineConfigLoader.REST_API
                  + ")");
        }
        result = result.withRestApi(restApi.withPort(httpPort));
      }
      if (streamPort != null) {
        StreamConfig stream = result.stream();
        if (stream == null) {
          throw new IllegalArgumentException(
              "--stream-port given, but the config file does not load the stream module");
        }
        result = result.withStream(stream.withPort(streamPort));
      }
      return result;
    }
  }

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
    EngineConfig config;
    try {
      config = options.engineConfig();
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("iii engine: cannot load the config: " + e.getMessage());
      System.exit(2);
      return;
    }
    EmbeddedEngine engine;
    try {
      engine = EmbeddedEngine.builder().config(config).build().start();
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
    System.out.println(readyLine(engine));
    stopped.await();
  }

  /**
   * The line printed once the engine serves: where each listener is bound, e.g. {@code iii engine
   * ready: workers ws://127.0.0.1:49134 | http http://127.0.0.1:3111}; a listener on every
   * interface shows as {@code 0.0.0.0}, and the line then says so.
   */
  static String readyLine(EmbeddedEngine engine) {
    EngineConfig config = engine.config();
    return readyLine(config, engine.port(), config.restApi() == null ? -1 : engine.httpPort());
  }

  /**
   * The ready line of an engine with {@code config} whose listeners got these ports.
   *
   * @param httpPort the bound HTTP port; ignored without the REST API
   */
  static String readyLine(EngineConfig config, int port, int httpPort) {
    StringBuilder line =
        new StringBuilder("iii engine ready: workers ")
            .append(EmbeddedEngine.listenUrl(config.host(), port));
    String httpHost = EmbeddedEngine.httpBindHost(config);
    if (httpHost == null) {
      line.append(" | no REST API module");
    } else {
      line.append(" | http ").append(EmbeddedEngine.httpUrl(httpHost, httpPort));
    }
    if (EmbeddedEngine.isAllInterfaces(config.host())
        || (httpHost != null && EmbeddedEngine.isAllInterfaces(httpHost))) {
      line.append(" (0.0.0.0 and :: listen on all interfaces)");
    }
    return line.toString();
  }

  /**
   * Parses the command line.
   *
   * @return the options, or {@code null} when help was asked for
   * @throws IllegalArgumentException with a message for the user when the arguments are wrong
   */
  static @Nullable Options parse(String[] args) {
    Path config = null;
    String host = null;
    Integer port = null;
    Integer httpPort = null;
    Integer streamPort = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config" -> config = Path.of(value(args, ++i, arg));
        case "--host" -> host = value(args, ++i, arg);
        case "--port" -> port = portValue(args, ++i, arg);
        case "--http-port" -> httpPort = portValue(args, ++i, arg);
        case "--stream-port" -> streamPort = portValue(args, ++i, arg);
        case "-h", "--help" -> {
          return null;
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new Options(config, host, port, httpPort, streamPort);
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
