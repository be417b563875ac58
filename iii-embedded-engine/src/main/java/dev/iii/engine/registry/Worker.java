package dev.iii.engine.registry;

import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One connected worker: its identity, the secret that lets it retire this connection after a
 * reconnect, what it registered, and the trigger acknowledgements the engine waits for from it (its
 * invocations are the router's).
 *
 * <p>Thread-safe: the sets and maps are concurrent, the metadata is replaced whole (volatile), the
 * rest is immutable.
 */
public final class Worker {

  /** What a worker says about itself through {@code engine::workers::register}. */
  public record Metadata(
      @Nullable String name,
      @Nullable String description,
      @Nullable String runtime,
      @Nullable String version,
      @Nullable String os,
      @Nullable Long pid,
      @Nullable String isolation,
      @Nullable JsonNode telemetry) {

    static final Metadata EMPTY = new Metadata(null, null, null, null, null, null, null, null);
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id = UUID.randomUUID().toString();

  /** The id as a JSON string, added to every call this worker makes (a UUID needs no escaping). */
  private final byte[] idJson = ('"' + id + '"').getBytes(StandardCharsets.US_ASCII);

  /** Sent only on this connection's own socket; proves a later {@code reattach} comes from it. */
  private final String reattachToken = newToken();

  private final @Nullable String ipAddress;
  private final long connectedAtMs = System.currentTimeMillis();
  private final WorkerOutbound outbound;
  private final Set<String> functionIds = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<@Nullable ErrorBody>> triggerAcks =
      new ConcurrentHashMap<>();
  private volatile Metadata metadata = Metadata.EMPTY;

  public Worker(@Nullable String ipAddress, WorkerOutbound outbound) {
    this.ipAddress = ipAddress;
    this.outbound = outbound;
  }

  /** 122 random bits from a {@link SecureRandom}, written as a UUID, as the official token is. */
  private static String newToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
    long high = 0;
    long low = 0;
    for (int i = 0; i < 8; i++) {
      high = (high << 8) | (bytes[i] & 0xff);
      low = (low << 8) | (bytes[i + 8] & 0xff);
    }
    return new UUID(high, low).toString();
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

  /** The secret sent in this connection's {@code workerregistered}; never logged or listed. */
  public String reattachToken() {
    return reattachToken;
  }

  /**
   * Whether a {@code reattach} presents this connection's token. The comparison takes the same time
   * wherever the first difference is, so the token cannot be guessed byte by byte.
   */
  public boolean acceptsReattachToken(@Nullable String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        presented.getBytes(StandardCharsets.UTF_8), reattachToken.getBytes(StandardCharsets.UTF_8));
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

  /**
   * Offers this worker a message it may be spared while it is behind ({@link
   * WorkerOutbound#offer}).
   */
  public WorkerOutbound.Offer offer(Message message) {
    return outbound.offer(message);
  }

  /**
   * Retires this connection as if it had closed, after the messages it already received: used when
   * the same worker reattaches on a new connection.
   *
   * @return completes once the connection's clean-up has run
   */
  public CompletionStage<Void> retire() {
    return outbound.retire();
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

  /**
   * Starts waiting for this worker's {@code triggerregistrationresult} for a trigger the engine
   * forwarded to it.
   *
   * @return completes with the worker's error, or {@code null} for success
   */
  public CompletableFuture<@Nullable ErrorBody> expectTriggerAck(String triggerId) {
    CompletableFuture<@Nullable ErrorBody> ack = new CompletableFuture<>();
    CompletableFuture<@Nullable ErrorBody> earlier = triggerAcks.put(triggerId, ack);
    if (earlier != null) {
      earlier.complete(null);
    }
    return ack;
  }

  /**
   * Hands this worker's {@code triggerregistrationresult} to whoever waits for it.
   *
   * @return {@code false} when nobody waits for this trigger id
   */
  public boolean acknowledgeTrigger(String triggerId, @Nullable ErrorBody error) {
    CompletableFuture<@Nullable ErrorBody> ack = triggerAcks.remove(triggerId);
    if (ack == null) {
      return false;
    }
    ack.complete(error);
    return true;
  }

  /** Stops waiting for an acknowledgement (timed out, or never sent). */
  public void forgetTriggerAck(String triggerId, CompletableFuture<@Nullable ErrorBody> ack) {
    triggerAcks.remove(triggerId, ack);
  }

  /** The connection is gone: every wait for an acknowledgement ends as accepted (fails open). */
  public void dropTriggerAcks() {
    for (String triggerId : List.copyOf(triggerAcks.keySet())) {
      acknowledgeTrigger(triggerId, null);
    }
  }

  @Override
  public String toString() {
    String name = metadata.name();
    return name == null ? "worker " + id : "worker " + id + " (" + name + ")";
  }
}
