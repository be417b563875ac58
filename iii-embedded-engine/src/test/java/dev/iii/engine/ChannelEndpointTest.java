package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.engine.ChannelEndpointTest.ChannelSocket.HttpAnswer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;

/**
 * The channel WebSocket endpoint on the engine port, driven by raw WebSocket clients with refs from
 * {@code engine::channels::create}: status codes before the upgrade, each end once, both connection
 * orders, frame kinds and order, end-of-stream, backpressure with a slow reader, and a 100 MiB
 * transfer.
 */
class ChannelEndpointTest extends EngineTestSupport {

  private static final int KIB = 1024;

  /** A channel's id and the keys of its two ends. */
  private record Refs(String id, String readerKey, String writerKey) {

    String key(String dir) {
      return "read".equals(dir) ? readerKey : writerKey;
    }
  }

  private Refs create(RawWorker worker, int bufferSize) {
    JsonNode result =
        worker.callResult(
            "engine::channels::create", json("{'buffer_size':%d}").formatted(bufferSize));
    JsonNode writer = result.path("writer");
    return new Refs(
        writer.path("channel_id").asString(),
        result.path("reader").path("access_key").asString(),
        writer.path("access_key").asString());
  }

  private String url(Refs refs, String dir) {
    return ChannelSocket.url(engine, refs.id(), refs.key(dir), dir);
  }

  // ---------------------------------------------------------------- before the upgrade

  @Test
  void eachEndOpensOnlyWithItsOwnKey() {
    Refs refs = create(connect(), 4);

    assertThat(refs.readerKey()).isNotEqualTo(refs.writerKey());
    HttpAnswer writeWithReaderKey =
        ChannelSocket.handshake(
            ChannelSocket.url(engine, refs.id(), refs.readerKey(), "write"), true);
    HttpAnswer readWithWriterKey =
        ChannelSocket.handshake(
            ChannelSocket.url(engine, refs.id(), refs.writerKey(), "read"), true);

    assertThat(writeWithReaderKey).isEqualTo(new HttpAnswer(404, "Channel not found"));
    assertThat(readWithWriterKey).isEqualTo(new HttpAnswer(404, "Channel not found"));
    // The refused attempts took nothing: each end still opens with its own key.
    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"));
        ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      writer.sendText("from the writer");
      assertThat(reader.awaitFrames(1)).containsExactly("T:from the writer");
    }
  }

  @Test
  void wrongKeyOrUnknownChannelIsA404WithoutUpgrade() {
    Refs refs = create(connect(), 4);

    HttpAnswer wrongKey =
        ChannelSocket.handshake(ChannelSocket.url(engine, refs.id(), "nope", "read"), true);
    HttpAnswer unknownId =
        ChannelSocket.handshake(ChannelSocket.url(engine, uuid(), refs.writerKey(), "write"), true);

    assertThat(wrongKey).isEqualTo(new HttpAnswer(404, "Channel not found"));
    assertThat(unknownId).isEqualTo(new HttpAnswer(404, "Channel not found"));
    // Nothing was taken: the right key still gets both ends.
    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"));
        ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      writer.sendText("ok");
      assertThat(reader.awaitFrames(1)).containsExactly("T:ok");
    }
  }

  @Test
  void missingOrInvalidQueryIsA400() {
    Refs refs = create(connect(), 4);
    String base = engine.wsUrl() + "/ws/channels/" + refs.id();

    HttpAnswer noDir = ChannelSocket.handshake(base + "?key=" + refs.readerKey(), true);
    HttpAnswer badDir =
        ChannelSocket.handshake(base + "?key=" + refs.readerKey() + "&dir=both", true);
    HttpAnswer noKey = ChannelSocket.handshake(base + "?dir=read", true);
    HttpAnswer nothing = ChannelSocket.handshake(base, true);

    assertThat(noDir.status()).isEqualTo(400);
    assertThat(noDir.body()).isEqualTo("Failed to deserialize query string: missing field `dir`");
    assertThat(badDir.status()).isEqualTo(400);
    assertThat(badDir.body()).contains("unknown variant `both`, expected `read` or `write`");
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.body()).contains("missing field `key`");
    assertThat(nothing.status()).isEqualTo(400);
  }

  @Test
  void aRequestThatIsNotAnUpgradeIsA400AndTakesNothing() {
    Refs refs = create(connect(), 4);

    HttpAnswer plain = ChannelSocket.handshake(url(refs, "read"), false);

    assertThat(plain.status()).isEqualTo(400);
    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"));
        ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      writer.sendText("ok");
      assertThat(reader.awaitFrames(1)).containsExactly("T:ok");
    }
  }

  @Test
  void otherPathsUnderTheChannelPrefixAreNotFound() {
    Refs refs = create(connect(), 4);

    HttpAnswer extraSegment =
        ChannelSocket.handshake(
            engine.wsUrl()
                + "/ws/channels/"
                + refs.id()
                + "/x?key="
                + refs.readerKey()
                + "&dir=read",
            true);

    assertThat(extraSegment.status()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- each end once

  @Test
  void aSecondReaderIsUpgradedThenClosedAtOnce() {
    Refs refs = create(connect(), 4);
    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"));
        ChannelSocket second = ChannelSocket.open(url(refs, "read"));
        ChannelSocket writer = ChannelSocket.open(url(refs, "write"));
        ChannelSocket secondWriter = ChannelSocket.open(url(refs, "write"))) {

      assertThat(second.awaitClose().code()).isEqualTo(1005); // Close without payload
      assertThat(secondWriter.awaitClose().code()).isEqualTo(1005);
      assertThat(second.unread()).isEmpty();

      // The first reader and writer are unaffected.
      writer.sendText("first");
      assertThat(reader.awaitFrames(1)).containsExactly("T:first");
    }
  }

  // ---------------------------------------------------------------- streaming

  @Test
  void writeThenReadDeliversEverythingThenCloseWithoutPayload() {
    Refs refs = create(connect(), 8);
    try (ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      writer.sendText("{\"type\":\"set_status\",\"status_code\":201}");
      writer.sendBinary("chunk-1");
      writer.sendText("note");
      writer.sendBinary("chunk-2");
      writer.end();
      assertThat(writer.awaitClose().code()).isEqualTo(1000);
    }

    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"))) {
      assertThat(reader.awaitFrames(4))
          .containsExactly(
              "T:{\"type\":\"set_status\",\"status_code\":201}",
              "B:chunk-1",
              "T:note",
              "B:chunk-2");
      assertThat(reader.awaitClose().code()).isEqualTo(1005);
      assertThat(reader.unread()).isEmpty();
    }
  }

  @Test
  void readThenWriteStreamsAsItArrivesAndClosesWhenTheWriterCloses() {
    Refs refs = create(connect(), 2);
    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"));
        ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      writer.sendBinary("a");
      assertThat(reader.awaitFrames(1)).containsExactly("B:a");
      writer.sendText("b");
      writer.sendBinary("c");
      assertThat(reader.awaitFrames(2)).containsExactly("T:b", "B:c");
      assertThat(reader.isClosed()).isFalse();

      writer.end();

      assertThat(reader.awaitClose().code()).isEqualTo(1005);
      assertThat(reader.unread()).isEmpty();
    }
  }

  @Test
  void interleavedTextAndBinaryKeepTheirOrderAndKind() {
    Refs refs = create(connect(), 3);
    List<String> expected = new ArrayList<>();
    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"));
        ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      for (int i = 0; i < 200; i++) {
        if (i % 3 == 0) {
          writer.sendText("text-" + i);
          expected.add("T:text-" + i);
        } else {
          writer.sendBinary("bin-" + i);
          expected.add("B:bin-" + i);
        }
      }
      writer.end();

      assertThat(reader.awaitFrames(200)).containsExactlyElementsOf(expected);
      assertThat(reader.awaitClose().code()).isEqualTo(1005);
    }
  }

  @Test
  void aFragmentedMessageBecomesOneItem() {
    Refs refs = create(connect(), 4);
    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"));
        ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      writer.send(new TextWebSocketFrame(false, 0, "hel"));
      writer.send(new ContinuationWebSocketFrame(false, 0, "lo "));
      writer.send(new ContinuationWebSocketFrame(true, 0, "world"));
      writer.sendBinary("after");

      assertThat(reader.awaitFrames(2)).containsExactly("T:hello world", "B:after");
    }
  }

  @Test
  void aSlowReaderWithBufferSizeOneStillReceivesEverything() {
    Refs refs = create(connect(), 1);
    int count = 300;
    try (ChannelSocket reader = ChannelSocket.openSlow(url(refs, "read"), Duration.ofMillis(2));
        ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String payload = i + ":" + "x".repeat(i % 50);
        if (i % 2 == 0) {
          writer.sendBinary(payload);
          expected.add("B:" + payload);
        } else {
          writer.sendText(payload);
          expected.add("T:" + payload);
        }
      }
      writer.end();

      assertThat(reader.awaitFrames(count, Duration.ofSeconds(10)))
          .containsExactlyElementsOf(expected);
      assertThat(reader.awaitClose().code()).isEqualTo(1005);
    }
  }

  @Test
  void aWriterThatClosesRightAfterABurstLosesNothing() {
    // The burst and the Close frame arrive together while the buffer is full: the Close must not
    // overtake frames the engine has read but not yet queued.
    Refs refs = create(connect(), 1);
    int count = 500;
    List<String> expected = new ArrayList<>();
    try (ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      for (int i = 0; i < count; i++) {
        writer.sendText("burst-" + i);
        expected.add("T:burst-" + i);
      }
      writer.end();
      assertThat(writer.awaitClose().code()).isEqualTo(1000);
    }

    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"))) {
      assertThat(reader.awaitFrames(count)).containsExactlyElementsOf(expected);
      assertThat(reader.awaitClose().code()).isEqualTo(1005);
    }
  }

  @Test
  void aReaderThatGoesAwayMakesTheServerCloseTheWriter() {
    Refs refs = create(connect(), 1);
    ChannelSocket reader = ChannelSocket.open(url(refs, "read"));
    try (ChannelSocket writer = ChannelSocket.open(url(refs, "write"))) {
      writer.sendText("seen");
      assertThat(reader.awaitFrames(1)).containsExactly("T:seen");

      reader.abort();
      // The engine notices the reader is gone; the next write fails and the writer is closed.
      await()
          .atMost(ChannelSocket.TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!writer.isClosed()) {
                  writer.sendText("into the void");
                }
                return writer.isClosed();
              });
    }
  }

  @Test
  void theWriterSocketDroppingEndsTheStreamAfterWhatItSent() {
    Refs refs = create(connect(), 4);
    try (ChannelSocket reader = ChannelSocket.open(url(refs, "read"))) {
      ChannelSocket writer = ChannelSocket.open(url(refs, "write"));
      writer.sendBinary("last words");
      assertThat(reader.awaitFrames(1)).containsExactly("B:last words");

      writer.abort(); // EOF without a Close frame

      assertThat(reader.awaitClose().code()).isEqualTo(1005);
    }
  }

  @Test
  void hundredMibInSixtyFourKibFramesArriveByteExact() throws Exception {
    Refs refs = create(connect(), 64);
    int frameSize = 64 * KIB;
    int frames = 1600; // 100 MiB
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    AtomicLong receivedBytes = new AtomicLong();
    AtomicLong receivedFrames = new AtomicLong();
    CompletableFuture<WebSocketCloseStatus> readerClosed = new CompletableFuture<>();

    Disposable reading =
        HttpClient.create()
            .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(frameSize).build())
            .uri(url(refs, "read"))
            .handle(
                (in, out) -> {
                  in.receiveCloseStatus().subscribe(readerClosed::complete, e -> {});
                  return in.receiveFrames()
                      .doOnNext(
                          frame -> {
                            ByteBuf content = frame.content();
                            receivedBytes.addAndGet(content.readableBytes());
                            receivedFrames.incrementAndGet();
                            received.update(content.nioBuffer());
                          })
                      .then();
                })
            .subscribe(ignored -> {}, readerClosed::completeExceptionally);
    Mono<Void> writing =
        HttpClient.create()
            .websocket()
            .uri(url(refs, "write"))
            .handle(
                (in, out) ->
                    out.sendObject(
                            Flux.range(0, frames)
                                .map(
                                    i -> {
                                      byte[] chunk = new byte[frameSize];
                                      new SplittableRandom(i).nextBytes(chunk);
                                      sent.update(chunk);
                                      return new BinaryWebSocketFrame(
                                          Unpooled.wrappedBuffer(chunk));
                                    }))
                        .then()
                        .then(out.sendClose(1000, "stream_complete")))
            .then();
    try {
      writing.block(Duration.ofSeconds(30));
      WebSocketCloseStatus close = readerClosed.get(30, TimeUnit.SECONDS);

      assertThat(close.code()).isEqualTo(1005);
      assertThat(receivedFrames.get()).isEqualTo(frames);
      assertThat(receivedBytes.get()).isEqualTo(100L * 1024 * 1024);
      assertThat(received.digest()).isEqualTo(sent.digest());
    } finally {
      reading.dispose();
    }
  }

  /**
   * A raw WebSocket client of the channel endpoint: it records what the engine sends (text frames
   * as {@code T:<text>}, binary as {@code B:<bytes as UTF-8>}) and sends whatever frames a test
   * gives it. A {@code perFrameDelay} makes it a slow reader: it then reads the socket no faster
   * than one frame per delay.
   */
  static final class ChannelSocket implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;

    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Sinks.Many<WebSocketFrame> outbound =
        Sinks.many().unicast().onBackpressureBuffer();
    private final CompletableFuture<Connection> connection = new CompletableFuture<>();
    private final CompletableFuture<WebSocketCloseStatus> closeStatus = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Duration perFrameDelay;
    private volatile boolean closeWhenSent;
    private final Disposable session;

    private ChannelSocket(String url, Duration perFrameDelay) {
      this.perFrameDelay = perFrameDelay;
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
      try {
        connection.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        throw new AssertionError("cannot connect to " + url, e);
      }
    }

    static ChannelSocket open(String url) {
      return new ChannelSocket(url, Duration.ZERO);
    }

    static ChannelSocket openSlow(String url, Duration perFrameDelay) {
      return new ChannelSocket(url, perFrameDelay);
    }

    /** {@code ws://host:port/ws/channels/<id>?key=<key>&dir=<dir>}, as the SDKs build it. */
    static String url(EmbeddedEngine engine, String channelId, String key, String dir) {
      return url(engine.wsUrl(), channelId, key, dir);
    }

    static String url(String base, String channelId, String key, String dir) {
      return base
          + "/ws/channels/"
          + channelId
          + "?key="
          + URLEncoder.encode(key, StandardCharsets.UTF_8)
          + "&dir="
          + dir;
    }

    /**
     * Sends a WebSocket upgrade request to a URL ({@code ws://} or {@code http://}) and returns the
     * status and body of an answer that is not an upgrade.
     */
    static HttpAnswer handshake(String url, boolean asWebSocket) {
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      return HttpClient.create()
          .headers(
              headers -> {
                if (asWebSocket) {
                  headers
                      .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                      .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                      .set(
                          HttpHeaderNames.SEC_WEBSOCKET_KEY,
                          Base64.getEncoder().encodeToString(nonce))
                      .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
                }
              })
          .get()
          .uri(url.replaceFirst("^ws", "http"))
          .responseSingle(
              (response, body) ->
                  body.asString()
                      .defaultIfEmpty("")
                      .map(text -> new HttpAnswer(response.status().code(), text)))
          .block(TIMEOUT);
    }

    record HttpAnswer(int status, String body) {}

    private Mono<Void> run(WebsocketInbound in, WebsocketOutbound out) {
      in.withConnection(
          c -> {
            c.onDispose(() -> closed.complete(null));
            connection.complete(c);
          });
      in.receiveCloseStatus().subscribe(closeStatus::complete, e -> {});
      Mono<Void> sending =
          out.sendObject(outbound.asFlux())
              .then()
              .then(
                  Mono.defer(
                      () -> closeWhenSent ? out.sendClose(1000, "stream_complete") : Mono.empty()));
      Flux<String> frames =
          in.aggregateFrames(MAX_PAYLOAD).receiveFrames().mapNotNull(ChannelSocket::describe);
      if (!perFrameDelay.isZero()) {
        frames = frames.concatMap(f -> Mono.delay(perFrameDelay).thenReturn(f), 1);
      }
      Mono<Void> receiving = frames.doOnNext(received::add).then();
      return Mono.when(sending, receiving).onErrorResume(e -> Mono.empty());
    }

    private static String describe(WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame text) {
        return "T:" + text.text();
      }
      if (frame instanceof BinaryWebSocketFrame) {
        return "B:" + frame.content().toString(StandardCharsets.UTF_8);
      }
      return null;
    }

    // ---------------------------------------------------------------- sending

    void sendText(String text) {
      send(new TextWebSocketFrame(text));
    }

    void sendBinary(byte[] bytes) {
      send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    void sendBinary(String utf8) {
      sendBinary(utf8.getBytes(StandardCharsets.UTF_8));
    }

    synchronized void send(WebSocketFrame frame) {
      Sinks.EmitResult result = outbound.tryEmitNext(frame);
      if (result.isFailure()) {
        frame.release();
        throw new IllegalStateException("cannot send: " + result);
      }
    }

    /**
     * Sends what is queued, then Close 1000 {@code stream_complete}, as the SDK's {@code end()}.
     */
    synchronized void end() {
      closeWhenSent = true;
      outbound.tryEmitComplete();
    }

    // ---------------------------------------------------------------- receiving

    /** Waits for the next {@code count} frames. */
    List<String> awaitFrames(int count) {
      return awaitFrames(count, TIMEOUT);
    }

    List<String> awaitFrames(int count, Duration timeout) {
      List<String> frames = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        while (frames.size() < count) {
          String frame = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (frame == null) {
            throw new AssertionError(
                "got "
                    + frames.size()
                    + " of "
                    + count
                    + " frames within "
                    + timeout
                    + ": "
                    + frames);
          }
          frames.add(frame);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      return frames;
    }

    /** Frames received and not yet taken by {@link #awaitFrames}. */
    List<String> unread() {
      List<String> frames = new ArrayList<>();
      received.drainTo(frames);
      return frames;
    }

    /** Waits until the engine closed the socket and returns the Close status it sent. */
    WebSocketCloseStatus awaitClose() {
      if (!awaitClosed(TIMEOUT)) {
        throw new AssertionError("socket still open after " + TIMEOUT);
      }
      try {
        return closeStatus.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        throw new AssertionError("no Close status", e);
      }
    }

    boolean isClosed() {
      return closed.isDone();
    }

    boolean awaitClosed(Duration timeout) {
      return RawWorker.completesWithin(closed, timeout);
    }

    /** Drops the TCP connection without a Close frame. */
    void abort() {
      Connection c = connection.getNow(null);
      if (c != null) {
        c.channel().close().awaitUninterruptibly(TIMEOUT.toMillis());
      }
      session.dispose();
      awaitClosed(TIMEOUT);
    }

    @Override
    public void close() {
      if (!isClosed()) {
        abort();
      }
    }
  }
}
