package dev.iii.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.ConnectionState;
import dev.iii.III;
import dev.iii.IIIClient;
import dev.iii.InitOptions;
import dev.iii.ReconnectionConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Status mapping of {@link IIIHealthIndicator}, with a client that cannot reach any engine. */
class IIIHealthIndicatorTests {

  private static final Duration GRACE = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private III client;

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private III unreachableClient(int maxRetries) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    // A long retry delay keeps the client in RECONNECTING for the whole test.
    ReconnectionConfig reconnection =
        ReconnectionConfig.DEFAULT
            .withInitialDelay(Duration.ofMinutes(5))
            .withMaxRetries(maxRetries);
    client =
        new III(
            "ws://127.0.0.1:" + port,
            InitOptions.builder().workerName("test").reconnection(reconnection).build());
    return client;
  }

  @Test
  void aMockedClientIsUnknownAndClosesCleanly() {
    IIIClient mock = Mockito.mock(IIIClient.class);

    IIIHealthIndicator indicator =
        new IIIHealthIndicator(mock, "ws://engine:1", GRACE, null, clock);
    Health health = indicator.health();

    assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
    assertThat(health.getDetails()).containsEntry("state", "UNKNOWN");
    indicator.close();
  }

  @Test
  void disconnectedBeforeStartIsDown() throws IOException {
    IIIHealthIndicator indicator =
        new IIIHealthIndicator(unreachableClient(-1), "ws://engine:1", GRACE, () -> 3, clock);
    Health health = indicator.health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails())
        .containsEntry("url", "ws://engine:1")
        .containsEntry("state", "DISCONNECTED")
        .containsEntry("functions", 3)
        .doesNotContainKey("workerId");
  }

  @Test
  void reconnectingIsUnknownWithinTheGraceThenDown() throws IOException {
    III unreachable = unreachableClient(-1);
    unreachable.connect();
    await().until(() -> unreachable.getConnectionState() == ConnectionState.RECONNECTING);
    IIIHealthIndicator indicator =
        new IIIHealthIndicator(unreachable, "ws://engine:1", GRACE, null, clock);

    assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
    clock.advance(GRACE.minusSeconds(1));
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
    clock.advance(Duration.ofSeconds(2));
    Health health = indicator.health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails())
        .containsEntry("state", "RECONNECTING")
        .containsEntry("since", "2025-01-01T00:00:00Z")
        .doesNotContainKey("functions");
  }

  @Test
  void failedIsDown() throws IOException {
    III unreachable = unreachableClient(0);
    unreachable.connect();
    await().until(() -> unreachable.getConnectionState() == ConnectionState.FAILED);
    IIIHealthIndicator indicator =
        new IIIHealthIndicator(unreachable, "ws://engine:1", GRACE, null, clock);
    Health health = indicator.health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails())
        .hasEntrySatisfying(
            "error", error -> assertThat(error).asString().startsWith("connection_failed: "));
  }

  @Test
  void aWorkerTheEngineRefusedIsDownWithTheEnginesReason() {
    // What an engine with access control does when authentication fails: an error, then Close.
    DisposableServer refusing =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                routes ->
                    routes.ws(
                        "/",
                        (in, out) ->
                            out.sendString(
                                    Mono.just(
                                        "{\"type\":\"error\",\"error\":{\"code\":\"AUTH_ERROR\","
                                            + "\"message\":\"invalid token\"}}"))
                                .then()
                                .then(out.sendClose())))
            .bindNow();
    try {
      client =
          new III(
              "ws://127.0.0.1:" + refusing.port(),
              InitOptions.builder().workerName("test").build());
      client.connect();
      await().until(() -> client.getConnectionState() == ConnectionState.FAILED);
      IIIHealthIndicator indicator =
          new IIIHealthIndicator(client, "ws://engine:1", GRACE, () -> 0, clock);

      Health health = indicator.health();

      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails())
          .containsEntry("state", "FAILED")
          .containsEntry("error", "AUTH_ERROR: invalid token");
    } finally {
      refusing.disposeNow();
    }
  }

  @Test
  void aDisconnectedClientHasNoErrorDetail() throws IOException {
    IIIHealthIndicator indicator =
        new IIIHealthIndicator(unreachableClient(-1), "ws://engine:1", GRACE, null, clock);

    assertThat(indicator.health().getDetails()).doesNotContainKey("error");
  }

  /** A clock tests move by hand. */
  private static final class MutableClock extends Clock {

    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
