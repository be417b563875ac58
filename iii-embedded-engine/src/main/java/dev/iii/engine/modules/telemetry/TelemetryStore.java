package dev.iii.engine.modules.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts the SDKs' binary telemetry frames ({@code OTLP}, {@code MTRC}, {@code LOGS} followed by
 * OTLP JSON) and keeps the most recent log records. Spans and metrics are accepted and dropped. A
 * bad frame is logged at debug level and never affects the connection.
 */
public final class TelemetryStore implements Consumer<byte[]> {

  private static final Logger log = LoggerFactory.getLogger(TelemetryStore.class);

  private final JsonMapper mapper = JsonMapper.builder().build();
  private final int capacity;
  private final Deque<JsonNode> logRecords = new ArrayDeque<>();

  public TelemetryStore(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public void accept(byte[] frame) {
    String kind = new String(frame, 0, 4, StandardCharsets.US_ASCII);
    if (!kind.equals("LOGS")) {
      return;
    }
    try {
      JsonNode document = mapper.readTree(new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8));
      for (JsonNode resourceLogs : document.path("resourceLogs")) {
        for (JsonNode scopeLogs : resourceLogs.path("scopeLogs")) {
          for (JsonNode record : scopeLogs.path("logRecords")) {
            add(record);
          }
        }
      }
    } catch (JacksonException e) {
      log.debug("Dropped a malformed LOGS frame: {}", e.getOriginalMessage());
    }
  }

  /** The retained log records, oldest first (OTLP JSON {@code logRecord} objects). */
  public synchronized List<JsonNode> recentLogRecords() {
    return List.copyOf(logRecords);
  }

  private synchronized void add(JsonNode record) {
    if (logRecords.size() == capacity) {
      logRecords.removeFirst();
    }
    logRecords.addLast(record);
  }
}
