package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * Proves the {@code /otel} socket of official v0.22.1 on the engine port: it upgrades (no 404), its
 * telemetry frames are stored like those on the worker socket, anything else is dropped without
 * closing it, it is not a worker, and at shutdown it gets an empty Close frame.
 */
class TelemetrySocketTest extends EngineTestSupport {

  /** A raw client of {@code /otel}: sends the frames it is given, records what the engine sends. */
  private static final class OtelSocket {

    final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
    final List<WebSocketFrame> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> open = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final CompletableFuture<WebSocketCloseStatus> closeStatus = new CompletableFuture<>();
    final Disposable session;

    OtelSocket(String url) {
      session =
          HttpClient.create()
              .websocket()
              .uri(url)
              .handle(
                  (in, out) -> {
                    open.complete(null);
                    in.receiveCloseStatus().subscribe(closeStatus::complete, e -> {});
                    Mono<Void> sending =
                        out.sendObject(outbound.asFlux()).then().onErrorResume(e -> Mono.empty());
                    Mono<Void> receiving =
                        in.receiveFrames()
                            .doOnNext(
                                frame -> {
                                  frame.retain();
                                  received.add(frame);
                                })
                            .then();
                    return Mono.when(sending, receiving);
                  })
              .doFinally(signal -> closed.complete(null))
              .subscribe(ignored -> {}, error -> open.completeExceptionally(error));
      open.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    void send(WebSocketFrame frame) {
      outbound.tryEmitNext(frame).orThrow();
    }
  }

  private OtelSocket otel() {
    return new OtelSocket(engine.wsUrl() + "/otel");
  }

  private static byte[] logs(String body) {
    return ("LOGS{'resourceLogs':[{'scopeLogs':[{'logRecords':[{'body':{'stringValue':'"
            + body
            + "'}}]}]}]}")
        .replace('\'', '"')
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void telemetryFramesOnOtelAreStoredAndOtherFramesAreDropped() {
    RawWorker observer = connect();
    OtelSocket socket = otel();

    socket.send(new TextWebSocketFrame("{\"type\":\"ping\"}"));
    socket.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer("XXXX garbage".getBytes())));
    socket.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer("LOGS not json".getBytes())));
    socket.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(logs("from otel"))));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                engine.recentLogRecords().stream()
                    .map(r -> r.path("body").path("stringValue").asString())
                    .anyMatch("from otel"::equals));
    assertThat(socket.closed).isNotDone();
    assertThat(socket.received).isEmpty(); // no workerregistered, no pong: it is not a worker
    for (JsonNode worker :
        observer.callResult("engine::workers::list", json("{'runtime':'node'}")).path("workers")) {
      throw new AssertionError("unexpected worker " + worker);
    }
    socket.session.dispose();
  }

  @Test
  void otelMetricsFillLatestMetricsOfTheWorker() {
    RawWorker worker = connect();
    worker.sendAndSync(
        json(
            "{'type':'invokefunction','function_id':'engine::workers::register',"
                + "'data':{'runtime':'node','name':'n1','pid':5}}"));
    long now = System.currentTimeMillis() * 1_000_000L;
    String metrics =
        ("MTRC{'resourceMetrics':[{'scopeMetrics':[{'metrics':[{'name':'iii.worker.cpu.percent',"
                + "'gauge':{'dataPoints':[{'asDouble':3.5,'timeUnixNano':'"
                + now
                + "','attributes':[{'key':'worker.id','value':{'stringValue':'"
                + worker.workerId()
                + "'}}]}]}}]}]}]}")
            .replace('\'', '"');
    OtelSocket socket = otel();

    socket.send(
        new BinaryWebSocketFrame(Unpooled.wrappedBuffer(metrics.getBytes(StandardCharsets.UTF_8))));

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        worker
                            .callResult("engine::workers::info", json("{'name':'n1'}"))
                            .path("worker")
                            .path("latest_metrics")
                            .path("cpu_percent")
                            .asDouble())
                    .isEqualTo(3.5));
    socket.session.dispose();
  }

  @Test
  void shutdownSendsTheOtelSocketAnEmptyCloseFrame() {
    OtelSocket socket = otel();
    socket.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(logs("before close"))));
    await().atMost(Duration.ofSeconds(5)).until(() -> !engine.recentLogRecords().isEmpty());

    engine.close();

    assertThat(socket.closed).succeedsWithin(Duration.ofSeconds(5));
    // A Close frame without a status, as the official engine sends on /otel: reported as 1005.
    assertThat(socket.closeStatus)
        .succeedsWithin(Duration.ofSeconds(5))
        .isEqualTo(WebSocketCloseStatus.EMPTY);
  }
}
