package dev.iii.internal;

import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.Ping;
import io.netty.util.Timeout;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one session honest, as the official SDKs do: pings the engine every {@code interval}, and
 * drops the socket (so that the connection reconnects) when no frame at all has come from the
 * engine for {@code idleTimeout} — a half-open connection otherwise looks connected for ever. The
 * pings are protocol {@code ping} messages, which every engine answers with a {@code pong} (on any
 * transport). Concurrency: its ticks run on the shared timer thread, one at a time (each schedules
 * the next); {@link #stop()} may come from any thread.
 */
final class Heartbeat {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private static final byte[] PING = MessageCodec.instance().encodeToBytes(new Ping());

  private final Session session;
  private final long intervalNanos;
  private final long idleNanos;
  private final String address;
  private long lastPing;
  private volatile boolean stopped;
  private volatile @Nullable Timeout next;

  private Heartbeat(Session session, Duration interval, Duration idleTimeout, String address) {
    this.session = session;
    this.intervalNanos = interval.toNanos();
    this.idleNanos = idleTimeout.toNanos();
    this.address = address;
    this.lastPing = System.nanoTime();
  }

  /**
   * Starts watching an open session.
   *
   * @param interval zero: no pings
   * @param idleTimeout zero: no idle deadline
   * @return {@code null} when both are zero
   */
  static @Nullable Heartbeat start(
      Session session, Duration interval, Duration idleTimeout, String address) {
    if (interval.isZero() && idleTimeout.isZero()) {
      return null;
    }
    Heartbeat heartbeat = new Heartbeat(session, interval, idleTimeout, address);
    heartbeat.scheduleNext(System.nanoTime());
    return heartbeat;
  }

  void stop() {
    stopped = true;
    Timeout scheduled = next;
    if (scheduled != null) {
      scheduled.cancel();
    }
  }

  private void tick() {
    if (stopped || !session.isOpen()) {
      return;
    }
    long now = System.nanoTime();
    long quiet = now - session.lastInbound();
    if (idleNanos > 0 && quiet >= idleNanos) {
      String why =
          "no frame from the engine for "
              + Duration.ofNanos(quiet).toMillis()
              + " ms (idle timeout)";
      log.warn("Connection to iii engine at {}: {}; dropping it to reconnect", address, why);
      session.abort(new TimeoutException(why));
      return;
    }
    if (intervalNanos > 0 && now - lastPing >= intervalNanos) {
      lastPing = now;
      session.send(PING);
    }
    scheduleNext(now);
  }

  private void scheduleNext(long now) {
    long wait = Long.MAX_VALUE;
    if (intervalNanos > 0) {
      wait = lastPing + intervalNanos - now;
    }
    if (idleNanos > 0) {
      wait = Math.min(wait, session.lastInbound() + idleNanos - now);
    }
    next = Timers.schedule(Duration.ofNanos(Math.max(wait, 1_000_000)), this::tick);
    if (stopped) {
      stop(); // lost a race with stop(): cancel what was just scheduled
    }
  }
}
