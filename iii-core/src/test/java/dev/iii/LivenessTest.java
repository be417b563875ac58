package dev.iii;

import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.iii.FakeEngine.Conn;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Liveness as the official SDKs have it (ping every 20 s, reconnect after 60 s without any inbound
 * frame, 10 s handshake timeout), with short durations configured so that tests stay fast.
 */
class LivenessTest extends ClientTestSupport {

  @Test
  void pingsTheEngineEveryPingInterval() {
    III client = client(options -> options.pingInterval(Duration.ofMillis(50)));
    connect(client);
    Conn conn = engine.awaitConnection(0);

    waiting().until(() -> conn.pings() >= 3);
    assertThat(conn.received())
        .filteredOn(frame -> frame.path("type").asString("").equals("ping"))
        .allSatisfy(ping -> assertThat(ping).isEqualTo(FakeEngine.json("{'type':'ping'}")));
  }

  @Test
  void dropsAHalfOpenConnectionAfterTheIdleTimeoutAndReconnects() {
    III client =
        client(
            options ->
                options.pingInterval(Duration.ofMillis(50)).idleTimeout(Duration.ofMillis(400)));
    List<ConnectionState> states = recordStates(client);
    connect(client);
    Conn first = engine.awaitConnection(0);
    CompletableFuture<Object> pending = client.call("remote::slow", null, Duration.ofMinutes(1));
    first.awaitFrame("invokefunction", "function_id", "remote::slow");

    try (LogCapture log = LogCapture.of("dev.iii.internal.Heartbeat")) {
      first.freeze(); // the engine host is gone, but no FIN/RST reaches the client

      IIIException lost = failure(pending);
      assertThat(lost.code()).isEqualTo(IIIException.CONNECTION_LOST);
      assertThat(lost.getCause()).hasMessageContaining("idle timeout");
      Conn second = engine.awaitConnection(1);
      waiting().until(() -> client.workerId().equals(Optional.of(second.workerId)));
      assertThat(log.messages(Level.WARN))
          .anySatisfy(message -> assertThat(message).contains("no frame from the engine"));
    }
    // Listeners are told on their own thread: the last state may still be on its way.
    waiting()
        .untilAsserted(
            () ->
                assertThat(states)
                    .containsSubsequence(
                        ConnectionState.CONNECTED,
                        ConnectionState.RECONNECTING,
                        ConnectionState.CONNECTED));
  }

  @Test
  void keepsAConnectionWhoseEngineAnswersThePings() {
    III client =
        client(
            options ->
                options.pingInterval(Duration.ofMillis(50)).idleTimeout(Duration.ofMillis(1000)));
    connect(client);
    Conn conn = engine.awaitConnection(0);

    // Quiet but alive: only pongs come in, for several idle timeouts.
    waiting().until(() -> conn.pings() >= 60);
    assertThat(engine.connections()).hasSize(1);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(conn.closed()).isNotDone();
  }

  @Test
  void anEngineThatStopsAnsweringPingsIsDroppedToo() {
    III client =
        client(
            options ->
                options.pingInterval(Duration.ofMillis(50)).idleTimeout(Duration.ofMillis(300)));
    connect(client);
    Conn first = engine.awaitConnection(0);

    first.answerPings(false); // still reading, but nothing comes back

    Conn second = engine.awaitConnection(1);
    waiting().until(() -> client.workerId().equals(Optional.of(second.workerId)));
    assertThat(first.closed()).succeedsWithin(WAIT);
  }

  @Test
  void retriesAHandshakeThatTakesLongerThanTheHandshakeTimeout() {
    engine.holdHandshakes();
    III client = client(options -> options.handshakeTimeout(Duration.ofMillis(200)));
    List<ConnectionState> states = recordStates(client);

    CompletableFuture<Void> connected = client.connect();

    // Each held handshake times out and is retried.
    waiting().until(() -> engine.heldHandshakes() >= 2);
    assertThat(connected).isNotDone();
    assertThat(states).contains(ConnectionState.RECONNECTING);
    engine.releaseHandshakes();
    assertThat(connected).succeedsWithin(WAIT);
  }

  @Test
  void aSilentConnectionIsNotDroppedWhenTheIdleTimeoutIsOff() {
    engine.answerPings(false);
    III client =
        client(options -> options.pingInterval(Duration.ofMillis(20)).idleTimeout(Duration.ZERO));
    connect(client);
    Conn conn = engine.awaitConnection(0);

    // Many pings without a single answer, and the connection stays.
    waiting().until(() -> conn.pings() >= 40);
    assertThat(engine.connections()).hasSize(1);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
  }
}
