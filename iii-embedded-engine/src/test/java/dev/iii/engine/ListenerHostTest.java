package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.iii.engine.config.EngineConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which address each listener binds: {@code --host} governs every listener whose settings name no
 * host, a config file's own {@code iii-http} host wins, and the ready line and {@link
 * EmbeddedEngine#httpUrl()} show the address bound, never 127.0.0.1 for 0.0.0.0.
 */
class ListenerHostTest {

  /** The ready line as the stand-alone tests and the benchmarks read it. */
  private static final Pattern READY =
      Pattern.compile("iii engine ready: workers (ws://\\S+) \\| http (http://\\S+)");

  private static EngineConfig fromCommandLine(String... args) throws IOException {
    return EngineMain.parse(args).engineConfig();
  }

  private static Path config(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** Whether {@code address} is a second loopback address of this machine (as on Linux). */
  private static boolean isLocal(String address) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theHostOptionBindsTheRestApiOfAConfigWithoutAnHttpHost(@TempDir Path dir)
      throws IOException {
    for (String yaml :
        new String[] {
          "workers:\n  - name: iii-worker-manager\n  - name: iii-http\n",
          "modules:\n  - class: modules::api::RestApiModule\n"
        }) {
      EngineConfig config =
          fromCommandLine(
              "--config",
              config(dir, yaml).toString(),
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--http-port",
              "0");

      assertThat(config.restApi().host()).as(yaml).isNull();
      assertThat(EmbeddedEngine.httpBindHost(config)).as(yaml).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void theRestApiOfAConfigWithoutAnHttpHostListensOnTheHostOptionOnly(@TempDir Path dir)
      throws IOException {
    Path file = config(dir, "workers:\n  - name: iii-worker-manager\n  - name: iii-http\n");
    EngineConfig config =
        fromCommandLine(
            "--config", file.toString(), "--host", "127.0.0.1", "--port", "0", "--http-port", "0");

    try (EmbeddedEngine engine = EmbeddedEngine.builder().config(config).build().start()) {
      int httpPort = engine.httpPort();
      assertThat(engine.httpUrl()).isEqualTo("http://127.0.0.1:" + httpPort);
      assertThat(EngineMain.readyLine(engine))
          .isEqualTo(
              "iii engine ready: workers ws://127.0.0.1:"
                  + engine.port()
                  + " | http http://127.0.0.1:"
                  + httpPort)
          .containsPattern(READY);
      try (Socket reached = new Socket("127.0.0.1", httpPort)) {
        assertThat(reached.isConnected()).isTrue();
      }

      // Bound to every interface, the port would answer on any other local address too.
      assumeTrue(isLocal("127.0.0.2"), "127.0.0.2 is not a local address here");
      assertThatThrownBy(() -> new Socket("127.0.0.2", httpPort).close())
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void theConfigsOwnHttpHostWinsOverTheHostOption(@TempDir Path dir) throws IOException {
    Path file =
        config(
            dir,
            "workers:\n  - name: iii-worker-manager\n"
                + "  - name: iii-http\n    config: {host: 0.0.0.0}\n");

    EngineConfig config = fromCommandLine("--config", file.toString(), "--host", "127.0.0.1");

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(EmbeddedEngine.httpBindHost(config)).isEqualTo("0.0.0.0");
  }

  @Test
  void withoutAnyHostTheRestApiBindsTheWorkerListenersHost(@TempDir Path dir) throws IOException {
    EngineConfig named =
        fromCommandLine(
            "--config",
            config(
                    dir,
                    "workers:\n  - name: iii-worker-manager\n    config: {host: 127.0.0.1}\n"
                        + "  - name: iii-http\n")
                .toString());
    EngineConfig official =
        fromCommandLine("--config", config(dir, "workers:\n  - name: iii-http\n").toString());

    assertThat(EmbeddedEngine.httpBindHost(named)).isEqualTo("127.0.0.1");
    assertThat(EmbeddedEngine.httpBindHost(official))
        .as("the official default of both listeners")
        .isEqualTo("0.0.0.0");
  }

  @Test
  void listenersOnAllInterfacesShowTheAddressTheyAreBoundToNot127001(@TempDir Path dir)
      throws IOException {
    // Printed from the config and the bound ports: no test listens on every interface.
    EngineConfig official =
        fromCommandLine("--config", config(dir, "workers:\n  - name: iii-http\n").toString());
    EngineConfig ipv6Http =
        EngineConfig.development().withRestApi(official.restApi().withHost("::"));

    String line = EngineMain.readyLine(official, 49134, 3111);

    assertThat(line)
        .isEqualTo(
            "iii engine ready: workers ws://0.0.0.0:49134 | http http://0.0.0.0:3111"
                + " (0.0.0.0 and :: listen on all interfaces)")
        .containsPattern(READY);
    assertThat(EngineMain.readyLine(ipv6Http, 1, 2))
        .isEqualTo(
            "iii engine ready: workers ws://127.0.0.1:1 | http http://[::]:2"
                + " (0.0.0.0 and :: listen on all interfaces)");
    assertThat(EngineMain.readyLine(EngineConfig.development().withRestApi(null), 1, -1))
        .isEqualTo("iii engine ready: workers ws://127.0.0.1:1 | no REST API module");
  }
}
