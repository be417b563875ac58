package dev.iii.engine.registry;

import dev.iii.protocol.Message;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One connected worker: its identity and what it registered (its invocations are the router's).
 * Thread-safe: the set is concurrent, the metadata is replaced whole (volatile).
 */
public final class Worker {

  /** What a worker says about itself through {@code engine::workers::register}. */
  public record Metadata(
      @Nullable String name,
      @Nullable String runtime,
      @Nullable String version,
      @Nullable String os,
      @Nullable Long pid,
      @Nullable JsonNode telemetry) {

    static final Metadata EMPTY = new Metadata(null, null, null, null, null, null);
  }

  private final String id = UUID.randomUUID().toString();

  /** The id as a JSON string, added to every call this worker makes (a UUID needs no escaping). */
  private final byte[] idJson = ('"' + id + '"').getBytes(StandardCharsets.US_ASCII);

  private final @Nullable String ipAddress;
  private final long connectedAtMs = System.currentTimeMillis();
  private final WorkerOutbound outbound;
  private final Set<String> functionIds = ConcurrentHashMap.newKeySet();
  private volatile Metadata metadata = Metadata.EMPTY;

  public Worker(@Nullable String ipAddress, WorkerOutbound outbound) {
    this.ipAddress = ipAddress;
    this.outbound = outbound;
  }

  public String id() {
    return id;
  }

  /**
   * The id as a JSON string in UTF-8 ({@code "…"}, quotes included). Shared, never to be changed:
   * the router copies it into the data of every call this worker makes.
   */
  public byte[] idJson() {
    return idJson;
  }

  public @Nullable String ipAddress() {
    return ipAddress;
  }

  public long connectedAtMs() {
    return connectedAtMs;
  }

  /** Sends a message to this worker; {@code false} if its connection is gone. */
  public boolean send(Message message) {
    return outbound.send(message);
  }

  /** Ids of the functions this worker registered (it may since have lost some to other workers). */
  public Set<String> functionIds() {
    return functionIds;
  }

  public Metadata metadata() {
    return metadata;
  }

  public void metadata(Metadata metadata) {
    this.metadata = metadata;
  }

  @Override
  public String toString() {
    String name = metadata.name();
    return name == null ? "worker " + id : "worker " + id + " (" + name + ")";
  }
}
