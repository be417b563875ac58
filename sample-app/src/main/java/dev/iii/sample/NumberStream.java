package dev.iii.sample;

import dev.iii.IIIClient;
import dev.iii.channel.Channel;
import dev.iii.channel.ChannelReader;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reference's "Streaming Data with Channels": {@code POST /numbers} ({@code numbers::produce})
 * creates a channel, hands its reading end to {@code numbers::sum} without waiting for it, and
 * writes 100 items into it. The consumer runs while the producer writes; the channel's bounded
 * buffer makes the producer wait when the consumer falls behind.
 */
@Component
public class NumberStream {

  private static final Logger log = LoggerFactory.getLogger(NumberStream.class);

  /** How many items one {@code POST /numbers} writes. */
  public static final int ITEMS = 100;

  /** The response of {@code POST /numbers}. */
  public record Status(String status, int items) {}

  /** What {@code numbers::sum} read from one channel. */
  public record Summary(long count, long sum) {}

  private final IIIClient iii;
  private final JsonMapper json;
  private final AtomicReference<@Nullable Summary> lastSummary = new AtomicReference<>();

  public NumberStream(IIIClient iii, JsonMapper json) {
    this.iii = iii;
    this.json = json;
  }

  @IIIFunction(id = "numbers::produce", description = "Streams 100 numbers to numbers::sum")
  @HttpTrigger(path = "/numbers", method = "POST")
  public CompletionStage<Status> produce() {
    return iii.createChannel()
        .thenCompose(
            channel -> {
              iii.callVoid("numbers::sum", Map.of("input", channel.readerRef()));
              return writeAll(channel);
            })
        .thenApply(written -> new Status("processing", ITEMS));
  }

  /**
   * Reads a channel of {@code {"value": n}} items. The client turns the channel ref in the payload
   * ({@code input}) into a live reader, bound here by type.
   */
  @IIIFunction(id = "numbers::sum", description = "Adds up the numbers of a channel")
  public CompletionStage<Summary> sum(ChannelReader input) {
    AtomicLong count = new AtomicLong();
    AtomicLong sum = new AtomicLong();
    input.onMessage(
        message -> {
          sum.addAndGet(json.readTree(message).get("value").asLong());
          count.incrementAndGet();
        });
    // readAll drives the reading; text items go to the listener above, the (empty) rest is bytes.
    return input
        .readAll()
        .thenApply(
            rest -> {
              Summary summary = new Summary(count.get(), sum.get());
              lastSummary.set(summary);
              log.info("Read {} numbers, sum {}", summary.count(), summary.sum());
              return summary;
            });
  }

  /** What the last completed {@code numbers::sum} read, or {@code null} before the first. */
  public @Nullable Summary lastSummary() {
    return lastSummary.get();
  }

  /** Writes the items one after another, then closes the channel so the reader sees the end. */
  private CompletableFuture<Void> writeAll(Channel channel) {
    CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
    for (int i = 0; i < ITEMS; i++) {
      String item = json.writeValueAsString(Map.of("value", i));
      written = written.thenCompose(previous -> channel.writer().sendMessage(item));
    }
    return written.thenCompose(all -> channel.writer().close());
  }
}
