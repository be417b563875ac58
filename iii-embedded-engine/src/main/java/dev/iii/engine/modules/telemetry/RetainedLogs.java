package dev.iii.engine.modules.telemetry;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The SDK log records the engine keeps, as the JSON bytes they arrived as: at most {@code
 * maxRecords} of them and {@code maxBytes} in all, the oldest evicted first. Keeping bytes rather
 * than parsed trees makes the budget exact (a tree costs several times its text).
 *
 * <p>Concurrency: every method holds this object's monitor, briefly (no I/O, no parsing).
 */
final class RetainedLogs {

  private final int maxRecords;
  private final long maxBytes;
  private final ArrayDeque<byte[]> records = new ArrayDeque<>();
  private long bytes;

  RetainedLogs(int maxRecords, long maxBytes) {
    if (maxRecords <= 0 || maxBytes <= 0) {
      throw new IllegalArgumentException("log record limits must be positive");
    }
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  /** The byte budget; a record larger than this cannot be kept. */
  long maxBytes() {
    return maxBytes;
  }

  /** Keeps a record no larger than {@link #maxBytes()}, evicting the oldest ones to make room. */
  synchronized void add(byte[] json) {
    if (json.length > maxBytes) {
      throw new IllegalArgumentException("record larger than the budget");
    }
    while (!records.isEmpty() && (records.size() >= maxRecords || bytes + json.length > maxBytes)) {
      bytes -= records.removeFirst().length;
    }
    records.addLast(json);
    bytes += json.length;
  }

  /** The records, oldest first. */
  synchronized List<byte[]> snapshot() {
    return List.copyOf(records);
  }

  /** The bytes retained now. */
  synchronized long bytes() {
    return bytes;
  }

  synchronized int count() {
    return records.size();
  }
}
