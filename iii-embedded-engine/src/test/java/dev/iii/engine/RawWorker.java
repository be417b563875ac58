package dev.iii.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A worker that speaks the protocol by hand: it records every text frame the engine sends as a
 * parsed JSON tree and sends whatever text or binary frames a test gives it, well-formed or not.
 *
 * <p>Messages a test has not consumed yet stay queued: {@link #awaitMessage} takes the first one
 * that matches and leaves the others for later calls.
 */
final class RawWorker implements AutoCloseable {

  /** The official engine's largest message; the client accepts frames up to this size. */
  static final int MAX_PAYLOAD = 64 * 1024 * 1024;

  /** How long a test waits for something that should happen at once. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
  private final List<JsonNode> backlog = new ArrayList<>();
  private final LinkedBlockingQueue<byte[]> wsPongs = new LinkedBlockingQueue<>();
  private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
  private final CompletableFuture<Connection> connection = new CompletableFuture<>();
  private final CompletableFuture<WebsocketOutbound> wsOut = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final CompletableFuture<WebSocketCloseStatus> closeStatus = new CompletableFuture<>();
  private final Disposable session;
  private final JsonNode firstMessage;
  private final String workerId;

  private RawWorker(String url) {
    session =
        HttpClient.create()
            .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(MAX_PAYLOAD).build())
            .uri(url)
            .handle(this::run)
            .subscribe(
                ignored -> {},
                error -> {
                  connection.completeExceptionally(error);
                  closed.complete(null);
                },
                () -> closed.complete(null));
    firstMessage = nextMessage(TIMEOUT);
    if (!"workerregistered".equals(firstMessage.path("type").asString())) {
      throw new AssertionError("first message is not workerregistered: " + firstMessage);
    }
    workerId = firstMessage.path("worker_id").asString();
  }

  /** Connects to the engine and waits for its {@code workerregistered}. */
  static RawWorker connect(EmbeddedEngine engine) {
    return connect(engine.wsUrl());
  }

  /** Connects to a worker URL and waits for its {@code workerregistered}. */
  static RawWorker connect(String url) {
    return new RawWorker(url);
  }

  private Mono<Void> run(WebsocketInbound in, WebsocketOutbound out) {
    in.aggregateFrames(MAX_PAYLOAD);
    in.withConnection(
        c -> {
          c.onDispose(() -> closed.complete(null));
          // Data frames are taken off the pipeline as they are read, as the engine does: a
          // socket dropped without a Close frame then cannot discard frames Reactor still
          // buffers. Control frames go on to Reactor.
          c.addHandlerLast(
              "raw.worker.frames",
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object message) {
                  if (message instanceof TextWebSocketFrame
                      || message instanceof BinaryWebSocketFrame
                      || message instanceof PongWebSocketFrame) {
                    WebSocketFrame frame = (WebSocketFrame) message;
                    try {
                      onFrame(frame);
                    } finally {
                      frame.release();
                    }
                    return;
                  }
                  ctx.fireChannelRead(message);
                }
              });
          connection.complete(c);
        });
    wsOut.complete(out);
    in.receiveCloseStatus().subscribe(closeStatus::complete, e -> {});
    Mono<Void> sending = out.sendObject(outbound.asFlux()).then().onErrorResume(e -> Mono.empty());
    Mono<Void> receiving = in.receiveFrames().doOnNext(this::onFrame).then();
    return Mono.when(sending, receiving).onErrorResume(e -> Mono.empty());
  }

  private void onFrame(WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      String raw = text.text();
      JsonNode node;
      try {
        node = MAPPER.readTree(raw);
      } catch (JacksonException e) {
        ObjectNode bad = JsonNodeFactory.instance.objectNode();
        bad.put("_unparseable", raw);
        node = bad;
      }
      inbox.add(node);
    } else if (frame instanceof PongWebSocketFrame pong) {
      wsPongs.add(bytes(pong.content()));
    } else if (frame instanceof BinaryWebSocketFrame binary) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("_binary", new String(bytes(binary.content()), StandardCharsets.UTF_8));
      inbox.add(node);
    }
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), bytes);
    return bytes;
  }

  /** The id from the engine's {@code workerregistered}. */
  String workerId() {
    return workerId;
  }

  /** The engine's first message on this connection. */
  JsonNode firstMessage() {
    return firstMessage;
  }

  // ---------------------------------------------------------------- sending

  /** Sends one text frame, exactly as given. */
  void send(String text) {
    sendFrame(new TextWebSocketFrame(text));
  }

  /** Sends one binary frame. */
  void sendBinary(byte[] payload) {
    sendFrame(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)));
  }

  /** Sends a WebSocket-level ping. */
  void sendWsPing(byte[] payload) {
    sendFrame(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)));
  }

  /** Sends any frame (e.g. fragments of one message). */
  synchronized void sendFrame(WebSocketFrame frame) {
    Sinks.EmitResult result = outbound.tryEmitNext(frame);
    if (result.isFailure()) {
      throw new IllegalStateException("cannot send: " + result);
    }
  }

  /** Sends a message and then a ping, and waits for the pong: the engine has handled it. */
  void sendAndSync(String text) {
    send(text);
    sync();
  }

  /**
   * Sends {@code {"type":"ping"}} and waits for the {@code pong}. The engine handles one
   * connection's messages in order, so everything sent before has been processed, and everything
   * the engine sent this worker before the pong has arrived. Other messages stay queued.
   */
  void sync() {
    send("{\"type\":\"ping\"}");
    awaitType("pong");
  }

  /**
   * {@link #sync() Syncs}, then returns (and forgets) every message received and not consumed so
   * far: proof of what did, or did not, arrive.
   */
  synchronized List<JsonNode> drain() {
    sync();
    List<JsonNode> all = new ArrayList<>(backlog);
    backlog.clear();
    inbox.drainTo(all);
    return all;
  }

  /** Calls a function with a fresh invocation id and returns the engine's whole answer. */
  JsonNode call(String functionId, String dataJson) {
    String id = UUID.randomUUID().toString();
    send(
        "{\"type\":\"invokefunction\",\"invocation_id\":\""
            + id
            + "\",\"function_id\":\""
            + functionId
            + "\",\"data\":"
            + dataJson
            + "}");
    return awaitResult(id);
  }

  /** Calls a function and returns its {@code result}, failing if it answered with an error. */
  JsonNode callResult(String functionId, String dataJson) {
    JsonNode answer = call(functionId, dataJson);
    if (answer.has("error")) {
      throw new AssertionError("call to " + functionId + " failed: " + answer);
    }
    return answer.path("result");
  }

  /** Answers an {@code invokefunction} this worker received with a result. */
  void reply(JsonNode invocation, String resultJson) {
    send(
        "{\"type\":\"invocationresult\",\"invocation_id\":\""
            + invocation.path("invocation_id").asString()
            + "\",\"function_id\":\""
            + invocation.path("function_id").asString()
            + "\",\"result\":"
            + resultJson
            + "}");
  }

  // ---------------------------------------------------------------- receiving

  /**
   * Waits for the first message (queued or arriving) that matches, and consumes it.
   *
   * @throws AssertionError when none arrives in time
   */
  synchronized JsonNode awaitMessage(Predicate<JsonNode> predicate, Duration timeout) {
    for (Iterator<JsonNode> it = backlog.iterator(); it.hasNext(); ) {
      JsonNode message = it.next();
      if (predicate.test(message)) {
        it.remove();
        return message;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode message = left <= 0 ? null : poll(left);
      if (message == null) {
        throw new AssertionError(
            "no matching message within " + timeout + "; unconsumed messages: " + summary());
      }
      if (predicate.test(message)) {
        return message;
      }
      backlog.add(message);
    }
  }

  /**
   * Fails if a matching message arrives within the given time (a deliberate wait: use it only to
   * prove that something does not happen when no later message can serve as a barrier).
   */
  synchronized void expectNoMessage(Predicate<JsonNode> predicate, Duration within) {
    JsonNode unexpected;
    try {
      unexpected = awaitMessage(predicate, within);
    } catch (AssertionError nothingArrived) {
      return;
    }
    throw new AssertionError("unexpected message: " + unexpected);
  }

  JsonNode awaitMessage(Predicate<JsonNode> predicate) {
    return awaitMessage(predicate, TIMEOUT);
  }

  /** Waits for the next message of the given {@code type}. */
  JsonNode awaitType(String type) {
    return awaitMessage(m -> type.equals(m.path("type").asString()));
  }

  /** Waits for an {@code invokefunction} of the given function. */
  JsonNode awaitInvocation(String functionId) {
    return awaitInvocation(functionId, TIMEOUT);
  }

  JsonNode awaitInvocation(String functionId, Duration timeout) {
    return awaitMessage(
        m ->
            "invokefunction".equals(m.path("type").asString())
                && functionId.equals(m.path("function_id").asString()),
        timeout);
  }

  /** Waits for the {@code invocationresult} with the given id. */
  JsonNode awaitResult(String invocationId) {
    return awaitResult(invocationId, TIMEOUT);
  }

  JsonNode awaitResult(String invocationId, Duration timeout) {
    return awaitMessage(
        m ->
            "invocationresult".equals(m.path("type").asString())
                && invocationId.equals(m.path("invocation_id").asString()),
        timeout);
  }

  /** Waits for a WebSocket-level pong and returns its payload. */
  byte[] awaitWsPong() {
    try {
      byte[] payload = wsPongs.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (payload == null) {
        throw new AssertionError("no WebSocket pong within " + TIMEOUT);
      }
      return payload;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private JsonNode nextMessage(Duration timeout) {
    JsonNode message = poll(timeout.toNanos());
    if (message == null) {
      throw new AssertionError("no message within " + timeout);
    }
    return message;
  }

  private JsonNode poll(long nanos) {
    try {
      return inbox.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String summary() {
    List<String> shown = new ArrayList<>();
    for (JsonNode message : backlog) {
      String text = message.toString();
      shown.add(text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
    return shown.toString();
  }

  // ---------------------------------------------------------------- closing

  /** Whether the connection is closed (by either side). */
  boolean isClosed() {
    return closed.isDone();
  }

  /** Waits until the connection is closed; {@code false} if it is still open after the timeout. */
  boolean awaitClosed(Duration timeout) {
    return completesWithin(closed, timeout);
  }

  /** Whether {@code done} completes (normally or not) within the timeout. */
  static boolean completesWithin(CompletableFuture<?> done, Duration timeout) {
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  /** The status of the Close frame the engine sent, if it sent one. */
  Optional<WebSocketCloseStatus> closeStatus() {
    return Optional.ofNullable(closeStatus.getNow(null));
  }

  /** Closes cleanly (Close frame 1000) and waits until the connection is gone. */
  @Override
  public void close() {
    if (isClosed()) {
      return;
    }
    WebsocketOutbound out = wsOut.getNow(null);
    if (out != null) {
      out.sendClose(1000, "bye").subscribe(ignored -> {}, e -> {});
    }
    if (!awaitClosed(TIMEOUT)) {
      abort();
    }
  }

  /** Drops the TCP connection without a Close frame, as a crashed worker would. */
  void abort() {
    Connection c = connection.getNow(null);
    if (c != null) {
      c.channel().close().awaitUninterruptibly(TIMEOUT.toMillis());
    }
    session.dispose();
    awaitClosed(TIMEOUT);
  }
}
