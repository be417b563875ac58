package dev.iii.internal;

import dev.iii.IIIException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls made while disconnected, sent in order once connected (Lettuce's disconnected buffer). When
 * full, the oldest is dropped and its call fails with code {@code queue_overflow}; the drops are
 * logged at WARN at most once per {@link #WARN_INTERVAL} with a count, and what is left to tell
 * when the queue is drained. Owned by the connection's actor: every method runs there.
 */
final class OfflineQueue {

  private static final Logger log = LoggerFactory.getLogger(OfflineQueue.class);

  /** At most one WARN line about drops per interval. */
  static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

  /** A message waiting for a connection, and the call waiting for its answer (if any). */
  record Queued(byte[] frame, @Nullable PendingCall<?> call, String functionId) {}

  private final int capacity;
  private final PendingCalls pendingCalls;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();

  private final RateLimitedLog drops;

  OfflineQueue(int capacity, PendingCalls pendingCalls) {
    this(capacity, pendingCalls, new RateLimitedLog(log, WARN_INTERVAL));
  }

  OfflineQueue(int capacity, PendingCalls pendingCalls, RateLimitedLog drops) {
    this.capacity = capacity;
    this.pendingCalls = pendingCalls;
    this.drops = drops;
  }

  void add(Queued queued) {
    if (capacity == 0) {
      fail(
          queued,
          new IIIException(
              IIIException.QUEUE_OVERFLOW,
              "not connected and offline queue disabled",
              queued.functionId(),
              null,
              null));
      return;
    }
    if (queue.size() >= capacity) {
      Queued oldest = queue.removeFirst();
      drops.warn(
          "Offline queue full ({} messages) while disconnected: dropped the oldest, a call to {}",
          capacity,
          oldest.functionId());
      fail(
          oldest,
          new IIIException(
              IIIException.QUEUE_OVERFLOW,
              "dropped from the full offline queue while disconnected",
              oldest.functionId(),
              null,
              null));
    }
    queue.addLast(queued);
  }

  /** Everything queued, oldest first; the queue is empty afterwards. */
  List<Queued> drain() {
    drops.flush(
        "Offline queue full ({} messages) while disconnected: {} more calls were dropped",
        capacity);
    List<Queued> all = new ArrayList<>(queue);
    queue.clear();
    return all;
  }

  void failAll(IIIException failure) {
    for (Queued queued : drain()) {
      fail(queued, failure);
    }
  }

  int size() {
    return queue.size();
  }

  private void fail(Queued queued, IIIException failure) {
    PendingCall<?> call = queued.call();
    if (call != null) {
      pendingCalls.fail(call, failure);
    } else {
      log.debug(
          "Fire-and-forget call to {} not sent: {}", queued.functionId(), failure.getMessage());
    }
  }
}
