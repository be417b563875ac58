package dev.iii.engine.modules.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One client of the stream WebSocket: its subscriptions ({@code join}/{@code leave} messages) and
 * the messages waiting to be written to it.
 *
 * <p>Bounds: at most {@value #MAX_SUBSCRIPTIONS} subscriptions (a join past that is ignored, and
 * logged); at most {@value #MAX_QUEUED_MESSAGES} messages and {@value #MAX_QUEUED_CHARS} characters
 * waiting to be written — a client that reads slower than its streams change is disconnected, with
 * a logged reason, rather than growing the engine's memory (the official engine instead makes every
 * publisher wait for it).
 *
 * <p>Concurrency: incoming messages are handled one at a time, in order (a join's triggers end
 * before the next message is read); the subscription map is concurrent; the outgoing queue is fed
 * only from the engine scheduler (through {@link StreamHub}), so it has one producer.
 */
final class StreamSocket {

  /** Messages that may wait to be written to one socket. */
  static final int MAX_QUEUED_MESSAGES = 1024;

  /**
   * Characters of messages queued for one socket plus bytes Netty has not written yet (8 Mi): past
   * this the socket is dropped.
   */
  static final long MAX_QUEUED_CHARS = 8L * 1024 * 1024;

  /** Subscriptions one socket may hold. */
  static final int MAX_SUBSCRIPTIONS = 1024;

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** One {@code join}: what it follows, and the id the client gave it. */
  private record Subscription(
      String subscriptionId, String streamName, String groupId, @Nullable String id) {

    boolean matches(JsonNode message) {
      return streamName.equals(StreamMessages.streamName(message))
          && groupId.equals(StreamMessages.groupId(message))
          && (id == null || id.equals(StreamMessages.id(message)));
    }
  }

  private final StreamHub hub;
  private final StreamTriggers triggers;
  private final StreamFunctions functions;
  private final @Nullable JsonNode authContext;
  private final String remote;
  private final int maxMessageBytes;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Sinks.Many<String> outbound =
      Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(MAX_QUEUED_MESSAGES));
  private final AtomicLong queuedChars = new AtomicLong();
  private volatile @Nullable Connection connection;
  private volatile boolean closed;

  StreamSocket(
      StreamHub hub,
      StreamTriggers triggers,
      StreamFunctions functions,
      @Nullable JsonNode authContext,
      String remote,
      int maxMessageBytes) {
    this.hub = hub;
    this.triggers = triggers;
    this.functions = functions;
    this.authContext = authContext;
    this.remote = remote;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Serves the socket until either side closes it. */
  Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
    in.aggregateFrames(maxMessageBytes);
    in.withConnection(c -> connection = c); // runs at once
    hub.add(this);
    Mono<Void> receive =
        in.receiveFrames()
            .mapNotNull(StreamSocket::text) // frames are released once this returns
            .concatMap(this::onMessage, 1)
            .then()
            .onErrorResume(e -> Mono.empty());
    Mono<Void> send =
        out.sendString(outbound.asFlux().doOnNext(text -> queuedChars.addAndGet(-text.length())))
            .then()
            .onErrorResume(e -> Mono.empty());
    return Mono.firstWithSignal(receive, send).doFinally(signal -> cleanup());
  }

  private static @Nullable String text(WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      return text.text();
    }
    if (frame instanceof BinaryWebSocketFrame binary) {
      ByteBuf content = binary.content();
      return content.toString(StandardCharsets.UTF_8);
    }
    return null;
  }

  private Mono<Void> onMessage(String text) {
    if (text.isBlank()) {
      return Mono.empty();
    }
    JsonNode message;
    try {
      message = MAPPER.readTree(text);
    } catch (JacksonException e) {
      hub.warnings()
          .warn("undecodable stream message", "Stream socket {}: json decode error", remote);
      return Mono.empty();
    }
    String type = message.path("type").asString("");
    JsonNode data = message.path("data");
    JsonNode subscriptionId = data.path("subscriptionId");
    JsonNode streamName = data.path("streamName");
    JsonNode groupId = data.path("groupId");
    JsonNode id = data.path("id");
    if (!(type.equals("join") || type.equals("leave"))
        || !subscriptionId.isString()
        || !streamName.isString()
        || !groupId.isString()
        || !(id.isMissingNode() || id.isNull() || id.isString())) {
      hub.warnings()
          .warn(
              "invalid stream message",
              "Stream socket {}: not a join or leave message with subscriptionId, streamName and"
                  + " groupId",
              remote);
      return Mono.empty();
    }
    Subscription subscription =
        new Subscription(
            subscriptionId.asString(),
            streamName.asString(),
            groupId.asString(),
            id.isString() ? id.asString() : null);
    return Mono.fromFuture(
        () -> type.equals("join") ? join(subscription) : leave(subscription, true));
  }

  private CompletableFuture<@Nullable Void> join(Subscription subscription) {
    if (subscriptions.size() >= MAX_SUBSCRIPTIONS
        && !subscriptions.containsKey(subscription.subscriptionId())) {
      hub.warnings()
          .warn(
              "too many stream subscriptions",
              "Stream socket {}: join of {}/{} ignored, the socket has {} subscriptions (the"
                  + " bound)",
              remote,
              subscription.streamName(),
              subscription.groupId(),
              MAX_SUBSCRIPTIONS);
      return CompletableFuture.completedFuture(null);
    }
    return triggers
        .join(event(subscription))
        .thenCompose(
            unauthorized -> {
              if (unauthorized) {
                send(
                    StreamMessages.message(
                        "unauthorized",
                        subscription.streamName(),
                        subscription.groupId(),
                        subscription.id(),
                        null));
                return CompletableFuture.completedFuture(null);
              }
              subscriptions.put(subscription.subscriptionId(), subscription);
              return sync(subscription);
            });
  }

  /** Sends the current item (or the group's items) to a new subscriber, as a {@code sync}. */
  private CompletableFuture<@Nullable Void> sync(Subscription subscription) {
    String id = subscription.id();
    CompletableFuture<@Nullable JsonNode> current =
        id != null
            ? functions.get(subscription.streamName(), subscription.groupId(), id)
            : functions.list(subscription.streamName(), subscription.groupId());
    return current.handle(
        (data, error) -> {
          if (error != null) {
            hub.warnings()
                .warn(
                    "stream sync failed",
                    "Stream socket {}: reading {}/{} for a new subscriber failed: {}",
                    remote,
                    subscription.streamName(),
                    subscription.groupId(),
                    error.getMessage());
            return null;
          }
          send(
              StreamMessages.message(
                  "sync",
                  subscription.streamName(),
                  subscription.groupId(),
                  id,
                  data == null ? NullNode.getInstance() : data));
          return null;
        });
  }

  private CompletableFuture<@Nullable Void> leave(Subscription subscription, boolean remove) {
    CompletableFuture<@Nullable Void> left = triggers.leave(event(subscription));
    if (remove) {
      subscriptions.remove(subscription.subscriptionId());
    }
    return left;
  }

  /** The payload of {@code stream:join} and {@code stream:leave} triggers. */
  private ObjectNode event(Subscription subscription) {
    ObjectNode event = JSON.objectNode();
    event.put("subscription_id", subscription.subscriptionId());
    event.put("stream_name", subscription.streamName());
    event.put("group_id", subscription.groupId());
    event.put("id", subscription.id());
    event.set("context", authContext == null ? NullNode.getInstance() : authContext.deepCopy());
    return event;
  }

  /** Queues a message of this socket alone (a sync or a refusal), on the scheduler. */
  private void send(JsonNode message) {
    String text = message.toString();
    hub.execute(() -> emit(text));
  }

  /**
   * Called on the scheduler: queues a change for every matching subscription.
   *
   * @param text the message as JSON text
   */
  void deliver(JsonNode message, String text) {
    if (closed) {
      return;
    }
    for (Subscription subscription : subscriptions.values()) {
      if (subscription.matches(message)) {
        // One copy per matching subscription, as the official engine sends.
        if (!emit(text)) {
          return;
        }
      }
    }
  }

  /** Called on the scheduler only. Returns false once the socket is being dropped. */
  private boolean emit(String text) {
    if (closed) {
      return false;
    }
    Sinks.EmitResult result =
        queuedChars.get() + pendingWrites() + text.length() > MAX_QUEUED_CHARS
            ? Sinks.EmitResult.FAIL_OVERFLOW
            : outbound.tryEmitNext(text);
    if (result.isSuccess()) {
      queuedChars.addAndGet(text.length());
    }
    if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
      hub.warnings()
          .warn(
              "slow stream socket",
              "Stream socket {} closed: {} messages ({} characters) were waiting to be written to"
                  + " it, the bound per socket; it reads slower than its streams change",
              remote,
              MAX_QUEUED_MESSAGES,
              MAX_QUEUED_CHARS);
      close();
      return false;
    }
    return result.isSuccess();
  }

  /** Bytes already handed to Netty and not yet written to the socket. */
  private long pendingWrites() {
    Connection current = connection;
    ChannelOutboundBuffer buffer =
        current == null ? null : current.channel().unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  /** Drops the connection. */
  void close() {
    closed = true;
    Connection current = connection;
    if (current != null) {
      current.dispose();
    }
  }

  private void cleanup() {
    closed = true;
    hub.remove(this);
    hub.execute(outbound::tryEmitComplete);
    List<Subscription> remaining = new ArrayList<>(subscriptions.values());
    subscriptions.clear();
    CompletableFuture<@Nullable Void> chain = CompletableFuture.completedFuture(null);
    for (Subscription subscription : remaining) {
      chain = chain.thenCompose(ignored -> leave(subscription, false));
    }
  }
}
