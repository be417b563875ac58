package dev.iii;

import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iii.channel.ChannelConnector;
import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import dev.iii.internal.DaemonThreads;
import dev.iii.protocol.ChannelRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/** Channel ends against a fake channel endpoint: framing, ordering, streams and failures. */
class ChannelSocketTest {

  private static final Duration WAIT = FakeEngine.WAIT;

  private final FakeChannelEndpoint endpoint = new FakeChannelEndpoint();
  private final ExecutorService callbacks =
      Executors.newCachedThreadPool(new DaemonThreads("test-callback"));
  private final ChannelConnector connector =
      new ChannelConnector(endpoint.address(), TestTransports.create(), callbacks);

  @AfterEach
  void stop() {
    endpoint.close();
    callbacks.shutdownNow();
  }

  @Test
  void writesAreSplitInto64KiBBinaryFramesAndKeepTheirOrderWithMessages() {
    ChannelRef ref = endpoint.create();
    ChannelWriter writer = connector.writer(ref);
    byte[] big = bytes(150 * 1024, 1);

    writer.write(big);
    writer.sendMessage("between");
    CompletableFuture<Void> last = writer.write(new byte[] {7});
    assertThat(last).succeedsWithin(WAIT);
    assertThat(writer.close()).succeedsWithin(WAIT);

    // The endpoint handles frames on its own event loop, possibly after our socket has closed.
    List<Object> received = waiting().until(() -> endpoint.received(ref), r -> r.size() == 5);
    assertThat((byte[]) received.get(0)).hasSize(64 * 1024);
    assertThat((byte[]) received.get(1)).hasSize(64 * 1024);
    assertThat((byte[]) received.get(2)).hasSize(22 * 1024);
    assertThat(concat(received.subList(0, 3))).isEqualTo(big);
    assertThat(received.get(3)).isEqualTo("between");
    assertThat((byte[]) received.get(4)).containsExactly(7);
  }

  @Test
  void readerDeliversTextAndBinaryInOrderOffTheEventLoop() {
    ChannelRef ref = endpoint.create();
    ChannelWriter writer = connector.writer(ref);
    writer.write("a".getBytes(StandardCharsets.UTF_8));
    writer.sendMessage("m1");
    writer.write("bb".getBytes(StandardCharsets.UTF_8));
    writer.sendMessage("m2");
    assertThat(writer.close()).succeedsWithin(WAIT);

    List<String> events = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    ChannelReader reader =
        connector
            .reader(ref.withDirection(ChannelRef.Direction.READ))
            .onMessage(
                message -> {
                  events.add("text " + message);
                  threads.add(Thread.currentThread().getName());
                });
    reader
        .chunks()
        .doOnNext(
            chunk -> {
              events.add("binary " + new String(chunk, StandardCharsets.UTF_8));
              threads.add(Thread.currentThread().getName());
            })
        .blockLast(WAIT);

    assertThat(events).containsExactly("binary a", "text m1", "binary bb", "text m2");
    assertThat(threads).allMatch(name -> name.startsWith("test-callback"));
  }

  @Test
  void outputStreamAndInputStreamCarryAMegabyteExactly() throws IOException {
    ChannelRef ref = endpoint.create();
    byte[] data = bytes(1024 * 1024 + 17, 2);
    try (OutputStream out = connector.writer(ref).outputStream()) {
      out.write(data, 0, 1000);
      out.write(data[1000]);
      out.write(data, 1001, data.length - 1001);
    }
    try (InputStream in = connector.reader(ref).inputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(data);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aConsumerThatAsksForOneChunkAtATimeFromAnotherThreadGetsEveryChunk() {
    ChannelRef ref = endpoint.create();
    byte[] data = bytes(4 * 1024 * 1024, 3);
    ChannelWriter writer = connector.writer(ref);
    writer.write(data);
    writer.close();

    // Demand arrives one item at a time from other threads while the socket pauses and resumes.
    Long received =
        connector
            .reader(ref.withDirection(ChannelRef.Direction.READ))
            .chunks()
            .publishOn(Schedulers.parallel(), 1)
            .map(chunk -> (long) chunk.length)
            .reduce(0L, Long::sum)
            .block(WAIT);

    assertThat(received).isEqualTo(data.length);
  }

  @Test
  void readAllCompletesOnTheCallbackExecutor() throws Exception {
    ChannelRef ref = endpoint.create();
    endpoint.push(ref, "ignored without listener".getBytes(StandardCharsets.UTF_8));
    ChannelWriter writer = connector.writer(ref);
    assertThat(writer.close()).succeedsWithin(WAIT);

    String thread =
        connector
            .reader(ref)
            .readAll()
            .thenApply(bytes -> Thread.currentThread().getName())
            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(thread).doesNotStartWith("reactor-http");
  }

  @Test
  void aWrongKeyFailsBothEndsWithChannelNotFound() {
    ChannelRef real = endpoint.create();
    ChannelRef wrong = new ChannelRef(real.channelId(), "not-the-key", ChannelRef.Direction.WRITE);

    IIIException onWrite = ClientTestSupport.failure(connector.writer(wrong).write(new byte[1]));
    IIIException onRead = ClientTestSupport.failure(connector.reader(wrong).readAll());

    for (IIIException failure : List.of(onWrite, onRead)) {
      assertThat(failure.code()).isEqualTo(IIIException.CHANNEL_NOT_FOUND);
      assertThat(failure.getMessage()).contains(real.channelId());
    }
  }

  @Test
  void aDroppedReaderSocketFailsTheReadWithChannelClosed() {
    ChannelRef ref = endpoint.create();
    endpoint.push(ref, new byte[] {1, 2, 3});
    CompletableFuture<byte[]> all = connector.reader(ref).readAll();
    waiting().until(() -> endpoint.sockets(ref) == 1);

    endpoint.drop(ref);

    IIIException failure = ClientTestSupport.failure(all);
    assertThat(failure.code()).isEqualTo(IIIException.CHANNEL_CLOSED);
    assertThat(failure.getMessage()).contains(ref.channelId());
  }

  @Test
  void aDroppedWriterSocketFailsLaterWritesWithChannelClosed() {
    ChannelRef ref = endpoint.create();
    ChannelWriter writer = connector.writer(ref);
    assertThat(writer.write(new byte[] {1})).succeedsWithin(WAIT);

    endpoint.drop(ref);

    waiting()
        .until(
            () -> {
              Throwable thrown =
                  catchThrowable(
                      () ->
                          writer.write(new byte[] {2}).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
              return thrown instanceof ExecutionException e
                  && e.getCause() instanceof IIIException iii
                  && iii.code().equals(IIIException.CHANNEL_CLOSED);
            });
    assertThat(ClientTestSupport.failure(writer.close()).code())
        .isEqualTo(IIIException.CHANNEL_CLOSED);
  }

  @Test
  void writesAfterCloseFail() {
    ChannelWriter writer = connector.writer(endpoint.create());
    assertThat(writer.close()).succeedsWithin(WAIT);

    assertThat(ClientTestSupport.failure(writer.sendMessage("late")).code())
        .isEqualTo(IIIException.CHANNEL_CLOSED);
  }

  @Test
  void httpResponseStreamSendsStatusAndHeadersBeforeTheBody() {
    ChannelRef ref = endpoint.create();
    ApiRequest<Object> request =
        ApiRequest.from(Map.of("method", "GET", "response", connector.writer(ref)));

    HttpResponseStream response =
        request.stream().status(201).headers(Map.of("content-type", "text/plain"));
    response.write("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(response.close()).succeedsWithin(WAIT);

    List<Object> received = waiting().until(() -> endpoint.received(ref), r -> r.size() == 3);
    assertThat(json(received.get(0)))
        .isEqualTo(FakeEngine.json("{'type':'set_status','status_code':201}"));
    assertThat(json(received.get(1)))
        .isEqualTo(
            FakeEngine.json("{'type':'set_headers','headers':{'content-type':'text/plain'}}"));
    assertThat(new String((byte[]) received.get(2), StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void anInvalidStatusIsRejectedBeforeSending() {
    ChannelRef ref = endpoint.create();
    HttpResponseStream response =
        ApiRequest.from(Map.of("response", connector.writer(ref))).stream();

    assertThat(catchThrowable(() -> response.status(1000)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(endpoint.sockets(ref)).isZero();
  }

  private static JsonNode json(Object text) {
    return FakeEngine.JSON.readTree((String) text);
  }

  private static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] concat(List<Object> chunks) {
    int size = chunks.stream().mapToInt(chunk -> ((byte[]) chunk).length).sum();
    byte[] all = new byte[size];
    int at = 0;
    for (Object chunk : chunks) {
      byte[] bytes = (byte[]) chunk;
      System.arraycopy(bytes, 0, all, at, bytes.length);
      at += bytes.length;
    }
    return all;
  }
}
