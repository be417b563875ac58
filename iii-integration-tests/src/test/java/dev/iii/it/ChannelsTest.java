package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.channel.Channel;
import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Streaming channels between workers through the embedded engine. */
class ChannelsTest extends EngineTestSupport {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The reference page's "Streaming Data with Channels" example. */
  @Test
  void aStreamOfAHundredItemsArrivesCompleteAndInOrder() throws Exception {
    III consumer = connected("consumer");
    CompletableFuture<List<Integer>> values = new CompletableFuture<>();
    consumer.registerFunction(
        "processData",
        input -> {
          ChannelReader reader = (ChannelReader) ((Map<?, ?>) input).get("input");
          List<Integer> seen = new ArrayList<>();
          try (BufferedReader lines =
              new BufferedReader(
                  new InputStreamReader(reader.inputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
              seen.add(JSON.readTree(line).get("value").asInt());
            }
          } catch (Exception e) {
            values.completeExceptionally(e);
            throw e;
          }
          values.complete(seen);
          return null;
        });
    III producer = connected("producer");
    producer.registerFunction(
        "processStream",
        request -> {
          Channel channel = producer.createChannel().join();
          producer.callVoid("processData", Map.of("input", channel.readerRef()));
          for (int i = 0; i < 100; i++) {
            channel.writer().write(line(Map.of("value", i))).join();
          }
          channel.writer().close().join();
          return Map.of("status", "processing");
        });

    Object answer = get(producer.call("processStream", Map.of()));

    assertThat(answer).isEqualTo(Map.of("status", "processing"));
    assertThat(get(values)).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
  }

  @Test
  void tenMebibytesWrittenByAnotherWorkerArriveByteExact() throws Exception {
    int size = 10 * 1024 * 1024 + 123;
    III producer = connected("producer");
    producer.registerFunction(
        "produce",
        input -> {
          ChannelWriter out = (ChannelWriter) ((Map<?, ?>) input).get("out");
          byte[] data = random(size);
          // Uneven slices, each awaited: the writer frames them into 64 KiB messages.
          for (int at = 0; at < size; at += 1_000_003) {
            out.write(data, at, Math.min(1_000_003, size - at)).join();
          }
          out.close().join();
          return null;
        });
    III consumer = connected("consumer");
    Channel channel = consumer.createChannel().join();

    CompletableFuture<byte[]> received = channel.reader().readAll();
    CompletableFuture<Object> produced = consumer.call("produce", Map.of("out", channel.writer()));

    assertThat(get(produced)).isNull();
    assertThat(get(received)).isEqualTo(random(size));
  }

  @Test
  void aWriterCannotRunAheadOfAReaderThatDoesNotRead() throws Exception {
    III client = connected("worker");
    Channel channel = client.createChannel(1).join();
    byte[] frame = new byte[64 * 1024];
    int frames = 400; // 25 MiB: more than the socket and engine buffers hold
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      writes.add(channel.writer().write(frame));
    }
    CompletableFuture<Void> closed = channel.writer().close();

    // Nobody reads: the last writes stay pending.
    await()
        .pollDelay(Duration.ZERO)
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !writes.get(frames - 1).isDone());

    CompletableFuture<byte[]> all = channel.reader().readAll();
    get(closed);
    // Each write's future completes on the callback pool, in no set order with the close's.
    get(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
    assertThat(writes).allMatch(write -> write.isDone() && !write.isCompletedExceptionally());
    assertThat(get(all)).hasSize(frames * frame.length);
  }

  @Test
  void textMessagesKeepTheirPlaceAmongBinaryChunks() throws Exception {
    III client = connected("worker");
    Channel channel = client.createChannel(4).join();
    ChannelWriter writer = channel.writer();
    writer.write(bytes("one"));
    writer.sendMessage("after one");
    writer.write(bytes("two"));
    writer.sendMessage("after two");
    CompletableFuture<Void> closed = writer.close();

    List<String> events = new CopyOnWriteArrayList<>();
    channel
        .reader()
        .onMessage(message -> events.add("text: " + message))
        .chunks()
        .doOnNext(chunk -> events.add("binary: " + new String(chunk, StandardCharsets.UTF_8)))
        .blockLast(WAIT);

    get(closed);
    assertThat(events)
        .containsExactly("binary: one", "text: after one", "binary: two", "text: after two");
  }

  @Test
  void aWrongAccessKeyFailsWithChannelNotFound() throws Exception {
    III client = connected("worker");
    Channel channel = client.createChannel().join();
    client.registerFunction(
        "drain", input -> ((ChannelReader) ((Map<?, ?>) input).get("in")).readAll());
    Map<String, String> forged = new HashMap<>(channel.readerRef().toMap());
    forged.put("access_key", "not-the-key");

    IIIException error = failure(client.call("drain", Map.of("in", forged)));

    assertThat(error.code()).isEqualTo(IIIException.CHANNEL_NOT_FOUND);
    assertThat(error.getMessage()).contains(channel.readerRef().channelId());
  }

  @Test
  void closingAWriterThatNeverWroteEndsTheReaderEmpty() throws Exception {
    III client = connected("worker");
    Channel channel = client.createChannel().join();

    get(channel.writer().close());

    assertThat(get(channel.reader().readAll())).isEmpty();
  }

  private static byte[] line(Object value) {
    return (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(42).nextBytes(data);
    return data;
  }
}
