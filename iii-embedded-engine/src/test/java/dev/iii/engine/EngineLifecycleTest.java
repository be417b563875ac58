package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

/**
 * Proves the engine's life cycle as an embedding application sees it: free ports with port 0, start
 * once, idempotent close that closes every worker connection and frees both ports at once.
 */
class EngineLifecycleTest {

  private static EmbeddedEngine startOnFreePorts() {
    return EmbeddedEngine.builder()
        .host("127.0.0.1")
        .port(0)
        .httpPort(0)
        .streamPort(0)
        .build()
        .start();
  }

  @Test
  void portZeroPicksDistinctFreePorts() {
    try (EmbeddedEngine one = startOnFreePorts();
        EmbeddedEngine two = startOnFreePorts()) {
      assertThat(one.port()).isPositive();
      assertThat(one.httpPort()).isPositive();
      assertThat(java.util.Set.of(one.port(), one.httpPort(), two.port(), two.httpPort()))
          .hasSize(4);
      assertThat(one.wsUrl()).isEqualTo("ws://127.0.0.1:" + one.port());
      assertThat(one.httpUrl()).isEqualTo("http://127.0.0.1:" + one.httpPort());
      assertThat(one.isRunning()).isTrue();
    }
  }

  @Test
  void closingTheEngineClosesWorkerConnectionsPromptly() {
    EmbeddedEngine engine = startOnFreePorts();
    RawWorker worker = RawWorker.connect(engine);
    RawWorker other = RawWorker.connect(engine);

    long start = System.nanoTime();
    engine.close();

    assertThat(worker.awaitClosed(Duration.ofSeconds(2))).isTrue();
    assertThat(other.awaitClosed(Duration.ofSeconds(2))).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(worker.closeStatus()).isEmpty(); // no Close frame: the SDKs reconnect
  }

  @Test
  void portsAreFreeForANewEngineRightAfterClose() {
    EmbeddedEngine first = startOnFreePorts();
    int port = first.port();
    int httpPort = first.httpPort();
    RawWorker worker = RawWorker.connect(first);
    String oldId = worker.workerId();
    first.close();
    worker.awaitClosed(Duration.ofSeconds(2));

    try (EmbeddedEngine second =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(port)
            .httpPort(httpPort)
            .streamPort(0)
            .build()
            .start()) {
      assertThat(second.port()).isEqualTo(port);
      assertThat(second.httpPort()).isEqualTo(httpPort);
      RawWorker again = RawWorker.connect(second);
      assertThat(again.workerId()).isNotEqualTo(oldId);
      assertThat(
              EngineTestSupport.withoutModules(
                  again.callResult("engine::functions::list", "{}").path("functions")))
          .isEmpty();
      again.close();
    }
  }

  @Test
  void startingTwiceOrAfterCloseFails() {
    EmbeddedEngine engine = startOnFreePorts();

    assertThatThrownBy(engine::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    engine.close();
    assertThatThrownBy(engine::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void closeIsIdempotent() {
    EmbeddedEngine engine = startOnFreePorts();

    engine.close();
    engine.close();

    assertThat(engine.isRunning()).isFalse();
    assertThatThrownBy(engine::port).isInstanceOf(IllegalStateException.class);
    EmbeddedEngine neverStarted =
        EmbeddedEngine.builder().port(0).httpPort(0).streamPort(0).build();
    neverStarted.close();
    assertThat(neverStarted.isRunning()).isFalse();
  }

  @Test
  void busyPortMakesStartFail() {
    try (EmbeddedEngine running = startOnFreePorts()) {
      EmbeddedEngine clash =
          EmbeddedEngine.builder()
              .host("127.0.0.1")
              .port(running.port())
              .httpPort(0)
              .streamPort(0)
              .build();
      EmbeddedEngine httpClash =
          EmbeddedEngine.builder()
              .host("127.0.0.1")
              .port(0)
              .httpPort(running.httpPort())
              .streamPort(0)
              .build();

      assertThatThrownBy(clash::start).isInstanceOf(RuntimeException.class);
      assertThatThrownBy(httpClash::start).isInstanceOf(RuntimeException.class);
      assertThat(clash.isRunning()).isFalse();
      assertThat(httpClash.isRunning()).isFalse();
      RawWorker worker = RawWorker.connect(running);
      worker.sync();
      worker.close();
    }
  }

  @Test
  void builderRejectsPortsOutOfRange() {
    assertThatThrownBy(() -> EmbeddedEngine.builder().port(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedEngine.builder().httpPort(65536))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownHttpPathsAnswer404OnBothPorts() {
    try (EmbeddedEngine engine = startOnFreePorts()) {
      assertThat(status(engine.httpUrl() + "/nope")).isEqualTo(404);
      assertThat(status("http://127.0.0.1:" + engine.port() + "/nope")).isEqualTo(404);
    }
  }

  private static int status(String url) {
    Integer code =
        HttpClient.create()
            .get()
            .uri(url)
            .response()
            .map(response -> response.status().code())
            .block(Duration.ofSeconds(5));
    return code == null ? -1 : code;
  }
}
