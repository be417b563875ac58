package dev.iii;

import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted stand-in for the iii engine: one WebSocket route whose behaviour tests drive. It
 * speaks the v0.22.1 frames by default: {@code workerregistered} carries a {@code reattach_token},
 * and a {@code ping} is answered with a {@code pong}.
 */
final class FakeEngine implements AutoCloseable {

  static final int MAX_FRAME_PAYLOAD = 64 * 1024 * 1024;
  static final Duration WAIT = Duration.ofSeconds(15);
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<Conn> connections = new CopyOnWriteArrayList<>();
  private final Map<String, Function<JsonNode, ObjectNode>> answers = new ConcurrentHashMap<>();
  private final AtomicInteger rejectedHandshakes = new AtomicInteger();
  private final int port;
  private volatile boolean sendWorkerRegistered = true;
  private volatile boolean sendReattachToken = true;
  private volatile boolean answerPings = true;
  private volatile @Nullable String refusal;
  private final AtomicInteger handshakesToReject = new AtomicInteger();
  private final AtomicInteger heldHandshakes = new AtomicInteger();
  private volatile @Nullable CompletableFuture<Void> handshakeGate;
  private volatile @Nullable DisposableServer server;

  private FakeEngine() {
    DisposableServer bound = bind(0);
    this.server = bound;
    this.port = bound.port();
  }

  /** Binds a new fake engine to a free port of 127.0.0.1. */
  static FakeEngine start() {
    return new FakeEngine();
  }

  /** Awaitility, polling often, for at most {@link #WAIT}. */
  static ConditionFactory waiting() {
    return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
  }

  /** Parses JSON written with single quotes, to keep frames readable in tests. */
  static JsonNode json(String singleQuoted) {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }

  private DisposableServer bind(int onPort) {
    WebsocketServerSpec spec =
        WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME_PAYLOAD).build();
    return HttpServer.create()
        .host("127.0.0.1")
        .port(onPort)
        .route(
            routes ->
                routes
                    .route(
                        request -> handshakesToReject.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0,
                        (request, response) -> {
                          rejectedHandshakes.incrementAndGet();
                          return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
                        })
                    .route(
                        request -> handshakeGate != null,
                        (request, response) -> {
                          CompletableFuture<Void> gate = handshakeGate;
                          heldHandshakes.incrementAndGet();
                          Handshake handshake =
                              new Handshake(request.uri(), request.requestHeaders().copy());
                          // Defer: sendWebsocket starts the upgrade when called.
                          Mono<Void> open =
                              Mono.defer(
                                  () ->
                                      response.sendWebsocket(
                                          (in, out) -> serve(in, out, handshake), spec));
                          return gate == null ? open : Mono.fromFuture(gate).then(open);
                        })
                    .route(
                        request -> true,
                        (request, response) -> {
                          Handshake handshake =
                              new Handshake(request.uri(), request.requestHeaders().copy());
                          return response.sendWebsocket(
                              (in, out) -> serve(in, out, handshake), spec);
                        }))
        .bindNow();
  }

  private Publisher<Void> serve(WebsocketInbound in, WebsocketOutbound out, Handshake handshake) {
    String refused = refusal;
    if (refused != null) {
      // What an engine with access control does when authentication fails (engine/mod.rs).
      return out.sendString(Mono.just(refused)).then().then(out.sendClose());
    }
    Conn conn = new Conn(handshake);
    in.withConnection(connection -> conn.channel = connection.channel());
    if (sendWorkerRegistered) {
      conn.send(
          "{\"type\":\"workerregistered\",\"worker_id\":\""
              + conn.workerId
              + (sendReattachToken ? "\",\"reattach_token\":\"" + conn.reattachToken : "")
              + "\"}");
    }
    connections.add(conn);
    Mono<Void> inbound =
        in.aggregateFrames(MAX_FRAME_PAYLOAD)
            .receiveFrames()
            // Protocol messages are text; binary frames (worker metrics) are not recorded.
            .ofType(TextWebSocketFrame.class)
            .map(TextWebSocketFrame::text)
            .doOnNext(conn::onFrame)
            .doFinally(signal -> conn.onClosed())
            .then();
    Mono<Void> outbound = out.sendString(conn.outbound.asFlux()).then();
    return Mono.when(inbound, outbound);
  }

  /** The address a client connects to. */
  String url() {
    return "ws://127.0.0.1:" + port + "/";
  }

  int port() {
    return port;
  }

  /** Whether to greet every new connection with {@code workerregistered} (the default). */
  FakeEngine sendWorkerRegistered(boolean send) {
    this.sendWorkerRegistered = send;
    return this;
  }

  /** Whether {@code workerregistered} carries a {@code reattach_token} (v0.22+; the default). */
  FakeEngine sendReattachToken(boolean send) {
    this.sendReattachToken = send;
    return this;
  }

  /** Whether new connections answer the client's {@code ping} with a {@code pong} (the default). */
  FakeEngine answerPings(boolean answer) {
    this.answerPings = answer;
    return this;
  }

  /**
   * Refuses every new connection as an engine with access control does when authentication fails:
   * {@code {"type":"error","error":{code,message}}}, then Close.
   */
  FakeEngine refuseWith(String code, String message) {
    ObjectNode frame = JSON.createObjectNode().put("type", "error");
    frame.putObject("error").put("code", code).put("message", message);
    this.refusal = JSON.writeValueAsString(frame);
    return this;
  }

  /** Stops refusing new connections. */
  FakeEngine acceptAgain() {
    this.refusal = null;
    return this;
  }

  /** Answers every {@code invokefunction} of {@code functionId} with this result. */
  FakeEngine answer(String functionId, Function<JsonNode, @Nullable JsonNode> result) {
    answers.put(
        functionId,
        invoke -> {
          ObjectNode reply = resultFrame(invoke);
          JsonNode value = result.apply(invoke.get("data"));
          if (value != null) {
            reply.set("result", value);
          }
          return reply;
        });
    return this;
  }

  /** Answers every {@code invokefunction} of {@code functionId} with this error. */
  FakeEngine answerError(String functionId, String code, String message) {
    answers.put(
        functionId,
        invoke -> {
          ObjectNode reply = resultFrame(invoke);
          reply.putObject("error").put("code", code).put("message", message);
          return reply;
        });
    return this;
  }

  private static ObjectNode resultFrame(JsonNode invoke) {
    ObjectNode reply = JSON.createObjectNode();
    reply.put("type", "invocationresult");
    reply.set("invocation_id", invoke.get("invocation_id"));
    reply.set("function_id", invoke.get("function_id"));
    return reply;
  }

  /** Answers handshakes with 503 (counted) instead of upgrading them, or stops doing so. */
  FakeEngine rejectHandshakes(boolean reject) {
    handshakesToReject.set(reject ? Integer.MAX_VALUE : 0);
    return this;
  }

  /** Answers the next {@code count} handshakes with 503, then accepts again. */
  FakeEngine rejectNextHandshakes(int count) {
    handshakesToReject.set(count);
    return this;
  }

  int rejectedHandshakes() {
    return rejectedHandshakes.get();
  }

  /** Holds every handshake (unanswered) until {@link #releaseHandshakes()}. */
  FakeEngine holdHandshakes() {
    handshakeGate = new CompletableFuture<>();
    return this;
  }

  /** Completes the held handshakes and stops holding new ones. */
  void releaseHandshakes() {
    CompletableFuture<Void> gate = handshakeGate;
    handshakeGate = null;
    if (gate != null) {
      gate.complete(null);
    }
  }

  /** How many handshakes have been held so far. */
  int heldHandshakes() {
    return heldHandshakes.get();
  }

  /** Stops listening: new connections are refused. Open connections stay open. */
  void stopListening() {
    DisposableServer current = server;
    server = null;
    if (current != null) {
      current.disposeNow(WAIT);
    }
  }

  /** Listens again, on the same port. */
  void resumeListening() {
    if (server == null) {
      server = bind(port);
    }
  }

  /** Every connection accepted so far, oldest first. */
  List<Conn> connections() {
    return List.copyOf(connections);
  }

  /** The {@code index}th connection (from 0), waiting for it to be accepted. */
  Conn awaitConnection(int index) {
    waiting().until(() -> connections.size() > index);
    return connections.get(index);
  }

  /** The latest connection. */
  Conn current() {
    awaitConnection(0);
    return connections.get(connections.size() - 1);
  }

  @Override
  public void close() {
    releaseHandshakes();
    connections.forEach(Conn::drop);
    stopListening();
  }

  /** What the client sent with its WebSocket handshake. */
  record Handshake(String uri, HttpHeaders headers) {}

  /** One accepted WebSocket connection. */
  final class Conn {

    final String workerId = UUID.randomUUID().toString();
    final String reattachToken = UUID.randomUUID().toString();
    final Handshake handshake;
    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
    // A queue, not a copy-on-write list: stress tests send hundreds of thousands of frames.
    private final Queue<JsonNode> received = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicInteger pongs = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private volatile boolean answersPings = answerPings;
    private volatile @Nullable Channel channel;

    Conn(Handshake handshake) {
      this.handshake = handshake;
    }

    private void onFrame(String text) {
      JsonNode frame = JSON.readTree(text);
      received.add(frame);
      String type = frame.path("type").asString("");
      if (type.equals("pong")) {
        pongs.incrementAndGet();
      } else if (type.equals("ping")) {
        pings.incrementAndGet();
        if (answersPings) {
          send("{\"type\":\"pong\"}");
        }
      } else if (type.equals("invokefunction") && frame.hasNonNull("invocation_id")) {
        Function<JsonNode, ObjectNode> answer = answers.get(frame.path("function_id").asString(""));
        if (answer != null) {
          send(answer.apply(frame));
        }
      }
    }

    private synchronized void onClosed() {
      outbound.tryEmitComplete();
      closed.complete(null);
    }

    /** Sends one text frame. */
    synchronized void send(String text) {
      Sinks.EmitResult result = outbound.tryEmitNext(text);
      if (result.isFailure() && !closed.isDone()) {
        throw new IllegalStateException("cannot send " + text + ": " + result);
      }
    }

    /** Sends one JSON frame. */
    void send(JsonNode frame) {
      send(JSON.writeValueAsString(frame));
    }

    /** Closes the TCP connection at once, without a WebSocket close handshake. */
    void drop() {
      Channel current = channel;
      if (current != null) {
        current.close();
      }
    }

    /**
     * Goes silent as a half-open connection does (engine host lost, NAT entry dropped): stops
     * reading, so it neither answers nor sends anything, and the TCP connection stays up.
     */
    void freeze() {
      Channel current = channel;
      if (current != null) {
        current.eventLoop().execute(() -> current.config().setAutoRead(false));
      }
    }

    /** Whether this connection answers the client's {@code ping}s from now on. */
    void answerPings(boolean answer) {
      this.answersPings = answer;
    }

    /** How many {@code ping}s the client sent. */
    int pings() {
      return pings.get();
    }

    /** Completes when the connection has closed. */
    CompletableFuture<Void> closed() {
      return closed;
    }

    /** Every frame received so far, in order. */
    List<JsonNode> received() {
      return List.copyOf(received);
    }

    /** The received frames except pongs and the client's heartbeat pings. */
    List<JsonNode> receivedWithoutPongs() {
      List<JsonNode> frames = new ArrayList<>();
      for (JsonNode frame : received) {
        String type = frame.path("type").asString("");
        if (!type.equals("pong") && !type.equals("ping")) {
          frames.add(frame);
        }
      }
      return frames;
    }

    /**
     * Round trip: sends a ping and waits for the pong, so every frame the client sent before it has
     * arrived. Returns the frames received before, without pongs.
     */
    List<JsonNode> settle() {
      int before = pongs.get();
      send("{\"type\":\"ping\"}");
      waiting().until(() -> pongs.get() > before);
      return receivedWithoutPongs();
    }

    /** Waits for the first frame matching {@code match}. */
    JsonNode awaitFrame(Predicate<JsonNode> match) {
      return waiting()
          .until(() -> received.stream().filter(match).findFirst(), found -> found.isPresent())
          .orElseThrow();
    }

    /** Waits for a frame of this type with {@code field} equal to {@code value}. */
    JsonNode awaitFrame(String type, String field, String value) {
      return awaitFrame(
          frame ->
              frame.path("type").asString("").equals(type)
                  && Objects.equals(frame.path(field).asString(null), value));
    }

    /** Sends an {@code invokefunction} with a fresh invocation id; returns the id. */
    String invoke(String functionId, @Nullable JsonNode data) {
      String invocationId = UUID.randomUUID().toString();
      ObjectNode frame = JSON.createObjectNode();
      frame.put("type", "invokefunction");
      frame.put("invocation_id", invocationId);
      frame.put("function_id", functionId);
      frame.set("data", data);
      send(frame);
      return invocationId;
    }

    /** Sends an {@code invokefunction} and waits for the client's {@code invocationresult}. */
    JsonNode call(String functionId, @Nullable JsonNode data) {
      String invocationId = invoke(functionId, data);
      return awaitFrame("invocationresult", "invocation_id", invocationId);
    }
  }
}
