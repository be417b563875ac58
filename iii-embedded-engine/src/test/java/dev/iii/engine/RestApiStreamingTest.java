package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.III;
import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * Streaming through the request's channels: request bodies a worker reads from {@code
 * request_body}, and responses a worker writes to {@code response} (control messages, then the
 * body), using a raw WebSocket on the engine's channel endpoint as a worker SDK would.
 */
class RestApiStreamingTest extends RestApiSupportTest {

  /** Largest frame the SDKs send on a channel. */
  private static final int CHUNK = 64 * 1024;

  @Test
  void streamedDownloadArrivesByteExactWithItsStatusAndHeaders() throws Exception {
    byte[] payload = new byte[10 * 1024 * 1024 + 123];
    new Random(42).nextBytes(payload);
    III iii = worker();
    route(
        iii,
        "GET",
        "download",
        "api::download",
        in ->
            write(
                ref(in, "response"),
                Flux.concat(
                    Flux.just(
                        text("{\"type\":\"set_status\",\"status_code\":201}"),
                        text(
                            "{\"type\":\"set_headers\",\"headers\":{\"content-type\":"
                                + "\"application/pdf\",\"x-num\":5,\"bad name\":\"x\"}}")),
                    chunks(payload),
                    Flux.just(text("{\"type\":\"set_status\",\"status_code\":500}")))));

    HttpResponse<InputStream> response =
        http.send(request("/download").build(), HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/pdf");
    assertThat(response.headers().map()).doesNotContainKeys("x-num", "content-length");
    assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
    MessageDigest digest = sha256();
    long size = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[CHUNK];
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        digest.update(buffer, 0, n);
        size += n;
      }
    }
    assertThat(size).isEqualTo(payload.length);
    assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sha256Hex(payload));
  }

  @Test
  void serverSentEventsReachTheClientOneByOneBeforeTheStreamEnds() throws Exception {
    List<CompletableFuture<Void>> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seen.add(new CompletableFuture<>());
    }
    III iii = worker();
    route(
        iii,
        "GET",
        "events",
        "api::events",
        in -> {
          // Each event after the first is written only once the client has read the previous
          // one, so the test passes only if events are delivered while the stream is open.
          Flux<WebSocketFrame> events =
              Flux.range(0, 3)
                  .concatMap(
                      i ->
                          (i == 0 ? Mono.<Void>empty() : Mono.fromFuture(seen.get(i - 1)))
                              .thenReturn(binary("data: event-" + i + "\n\n")));
          return write(
              ref(in, "response"),
              Flux.concat(
                  Flux.just(
                      text(
                          "{\"type\":\"set_headers\",\"headers\":"
                              + "{\"content-type\":\"text/event-stream\"}}")),
                  events));
        });

    HttpResponse<Stream<String>> response =
        http.send(request("/events").build(), HttpResponse.BodyHandlers.ofLines());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<String> received = new ArrayList<>();
    try (Stream<String> lines = response.body()) {
      Iterator<String> iterator = lines.iterator();
      while (iterator.hasNext()) {
        String line = iterator.next();
        if (line.startsWith("data: ")) {
          received.add(line);
          seen.get(received.size() - 1).complete(null);
        }
      }
    }
    assertThat(received).containsExactly("data: event-0", "data: event-1", "data: event-2");
  }

  @Test
  void aNonNullResultWinsOverControlMessagesAlreadySent() {
    III iii = worker();
    route(
        iii,
        "GET",
        "mixed",
        "api::mixed",
        in ->
            writeOpen(ref(in, "response"), text("{\"type\":\"set_status\",\"status_code\":299}"))
                .thenApply(ignored -> Map.of("status_code", 202, "body", "direct")));

    HttpResponse<String> response = get("/mixed");

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("\"direct\"");
  }

  @Test
  void aResponseChannelClosedBeforeAnyBodyGivesAnEmptyStreamedResponse() {
    III iii = worker();
    route(
        iii,
        "GET",
        "empty",
        "api::empty",
        in ->
            write(
                ref(in, "response"),
                Flux.just(text("{\"type\":\"set_status\",\"status_code\":201}"))));

    HttpResponse<String> response = get("/empty");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void aNonJsonRequestBodyStreamsThroughTheRequestBodyChannel() {
    byte[] upload = new byte[3 * 1024 * 1024 + 7];
    new Random(7).nextBytes(upload);
    III iii = worker();
    route(
        iii,
        "PUT",
        "upload",
        "api::upload",
        in ->
            readAll(ref(in, "request_body"))
                .thenApply(
                    bytes ->
                        Map.of(
                            "body",
                            Map.of(
                                "size",
                                bytes.length,
                                "sha256",
                                sha256Hex(bytes),
                                "parsed",
                                String.valueOf(((Map<?, ?>) in).get("body"))))));

    HttpResponse<String> response =
        send(
            request("/upload")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(upload))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response).get("size").asInt()).isEqualTo(upload.length);
    assertThat(body(response).get("sha256").asString()).isEqualTo(sha256Hex(upload));
    assertThat(body(response).get("parsed").asString()).isEqualTo("null");
  }

  @Test
  void aJsonBodyIsParsedAndAlsoStreamedRawOnTheRequestBodyChannel() {
    III iii = worker();
    route(
        iii,
        "POST",
        "json",
        "api::json",
        in ->
            readAll(ref(in, "request_body"))
                .thenApply(
                    bytes ->
                        Map.of(
                            "body",
                            Map.of(
                                "raw",
                                new String(bytes, StandardCharsets.UTF_8),
                                "parsed",
                                ((Map<?, ?>) in).get("body") == null ? "null" : "object"))));
    // Larger than one channel chunk, with spacing that only the raw bytes keep.
    String big = "{ \"pad\" : \"" + "x".repeat(3 * CHUNK) + "\" }";

    HttpResponse<String> small = postJson("/json", "{ \"a\" :  1 }");
    HttpResponse<String> large = postJson("/json", big);
    HttpResponse<String> empty = postJson("/json", "");

    assertThat(body(small).get("raw").asString()).isEqualTo("{ \"a\" :  1 }");
    assertThat(body(small).get("parsed").asString()).isEqualTo("object");
    assertThat(body(large).get("raw").asString()).isEqualTo(big);
    assertThat(body(empty).get("raw").asString()).isEmpty();
    assertThat(body(empty).get("parsed").asString()).isEqualTo("null");
  }

  // ------------------------------------------------------------------ channel WebSocket client

  /**
   * The channel ref in a request field. The Java client hands it to the handler as a live reader or
   * writer; this test drives the channel endpoint itself, so it only needs the ref.
   */
  private static Map<?, ?> ref(Object input, String field) {
    Object value = ((Map<?, ?>) input).get(field);
    if (value instanceof ChannelReader reader) {
      return reader.ref().toMap();
    }
    if (value instanceof ChannelWriter writer) {
      return writer.ref().toMap();
    }
    return (Map<?, ?>) value;
  }

  private String channelUrl(Map<?, ?> ref, String dir) {
    return engine.wsUrl()
        + "/ws/channels/"
        + ref.get("channel_id")
        + "?key="
        + URLEncoder.encode(String.valueOf(ref.get("access_key")), StandardCharsets.UTF_8)
        + "&dir="
        + dir;
  }

  private static WebsocketClientSpec spec() {
    return WebsocketClientSpec.builder().maxFramePayloadLength(RawWorker.MAX_PAYLOAD).build();
  }

  /**
   * Writes frames to a channel, then closes it (code 1000) as the SDKs do; the handler returns
   * {@code null} (streaming mode) once done.
   */
  private CompletableFuture<Object> write(Map<?, ?> ref, Flux<WebSocketFrame> frames) {
    return HttpClient.create()
        .websocket(spec())
        .uri(channelUrl(ref, "write"))
        .handle((in, out) -> out.sendObject(frames).then().then(out.sendClose(1000, "done")))
        .then()
        .toFuture()
        .thenApply(ignored -> null);
  }

  /** Sends one frame to a channel and leaves it open; completes once the frame is written. */
  private CompletableFuture<Void> writeOpen(Map<?, ?> ref, WebSocketFrame frame) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    HttpClient.create()
        .websocket(spec())
        .uri(channelUrl(ref, "write"))
        .handle(
            (in, out) ->
                out.sendObject(Mono.just(frame))
                    .then()
                    .doOnSuccess(ignored -> written.complete(null))
                    .then(in.receiveCloseStatus().then()))
        .subscribe(null, written::completeExceptionally);
    return written;
  }

  /** Reads a channel's binary data until the writer closes it. */
  private CompletableFuture<byte[]> readAll(Map<?, ?> ref) {
    return HttpClient.create()
        .websocket(spec())
        .uri(channelUrl(ref, "read"))
        .handle(
            (in, out) ->
                in.receiveFrames()
                    .filter(BinaryWebSocketFrame.class::isInstance)
                    .map(RestApiStreamingTest::bytesOf))
        .reduce(
            new ByteArrayOutputStream(),
            (all, chunk) -> {
              all.writeBytes(chunk);
              return all;
            })
        .map(ByteArrayOutputStream::toByteArray)
        .toFuture();
  }

  private static byte[] bytesOf(WebSocketFrame frame) {
    byte[] bytes = new byte[frame.content().readableBytes()];
    frame.content().getBytes(frame.content().readerIndex(), bytes);
    return bytes;
  }

  private static Flux<WebSocketFrame> chunks(byte[] payload) {
    return Flux.range(0, (payload.length + CHUNK - 1) / CHUNK)
        .map(
            i -> {
              int offset = i * CHUNK;
              int length = Math.min(CHUNK, payload.length - offset);
              return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload, offset, length));
            });
  }

  private static WebSocketFrame text(String message) {
    return new TextWebSocketFrame(message);
  }

  private static WebSocketFrame binary(String data) {
    return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }
}
