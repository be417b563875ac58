package dev.iii.engine;

import static dev.iii.protocol.ChannelRef.Direction.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.engine.modules.channels.Channel;
import dev.iii.engine.modules.channels.ChannelItem;
import dev.iii.engine.modules.channels.ChannelReaderEnd;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.modules.channels.ChannelWriterEnd;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The channel queue on its own: order, backpressure, end-of-stream, cancellation, each end once,
 * thread safety, and the registry's cleanup (finished channels, {@code remove}, the sweep).
 */
class ChannelTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long TTL_MS = Duration.ofMinutes(5).toMillis();

  private final ChannelRegistry registry = new ChannelRegistry();
  private final List<Scheduler> schedulers = new ArrayList<>();

  @AfterEach
  void disposeSchedulers() {
    schedulers.forEach(Scheduler::dispose);
  }

  // ---------------------------------------------------------------- order and end-of-stream

  @Test
  void textAndBinaryItemsArriveInWriteOrderThenTheStreamCompletes() {
    Channel channel = registry.create(8);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    ChannelReaderEnd reader = channel.takeReader().orElseThrow();
    Recorder recorder = Recorder.subscribe(reader, Long.MAX_VALUE);

    writer.write(ChannelItem.text("{\"type\":\"set_status\",\"status_code\":201}")).block(TIMEOUT);
    writer.write(ChannelItem.binary(new byte[] {1, 2, 3})).block(TIMEOUT);
    writer.write(ChannelItem.text("second")).block(TIMEOUT);
    writer.write(ChannelItem.binary(new byte[0])).block(TIMEOUT);
    writer.write(ChannelItem.binary(new byte[] {4})).block(TIMEOUT);
    writer.close();

    recorder.awaitDone();
    assertThat(recorder.items())
        .containsExactly(
            "T:{\"type\":\"set_status\",\"status_code\":201}",
            "B:[1, 2, 3]",
            "T:second",
            "B:[]",
            "B:[4]");
    assertThat(recorder.error()).isNull();
  }

  @Test
  void itemsWrittenBeforeTheReaderArrivesWaitForIt() {
    Channel channel = registry.create(4);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    writer.write(ChannelItem.text("a")).block(TIMEOUT);
    writer.write(ChannelItem.binary(bytes("b"))).block(TIMEOUT);
    writer.close();

    List<String> items =
        channel.takeReader().orElseThrow().items().map(ChannelTest::show).collectList().block();

    assertThat(items).containsExactly("T:a", "B:[98]");
  }

  @Test
  void aReaderThatArrivesFirstWaitsForItems() {
    Channel channel = registry.create(4);
    Recorder recorder = Recorder.subscribe(channel.takeReader().orElseThrow(), Long.MAX_VALUE);
    assertThat(recorder.items()).isEmpty();

    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    writer.write(ChannelItem.text("late")).block(TIMEOUT);
    await().atMost(TIMEOUT).until(() -> recorder.items().size() == 1);
    assertThat(recorder.done()).isFalse();
    writer.close();

    recorder.awaitDone();
    assertThat(recorder.items()).containsExactly("T:late");
  }

  @Test
  void closeCompletesTheReaderOnlyAfterTheBufferDrains() {
    Channel channel = registry.create(4);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    writer.write(ChannelItem.text("1")).block(TIMEOUT);
    writer.write(ChannelItem.text("2")).block(TIMEOUT);
    writer.close();
    writer.close(); // idempotent

    Recorder recorder = Recorder.subscribe(channel.takeReader().orElseThrow(), 0);
    assertThat(recorder.done()).isFalse();
    recorder.request(1);
    assertThat(recorder.items()).containsExactly("T:1");
    assertThat(recorder.done()).isFalse();
    recorder.request(1);
    assertThat(recorder.items()).containsExactly("T:1", "T:2");
    assertThat(recorder.done()).isTrue();
    assertThat(recorder.error()).isNull();
  }

  @Test
  void aClosedWriterRejectsWrites() {
    Channel channel = registry.create(4);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    writer.close();

    assertThatThrownBy(() -> writer.write(ChannelItem.text("x")).block(TIMEOUT))
        .hasMessageContaining("writer is closed");
  }

  // ---------------------------------------------------------------- backpressure

  @Test
  void aFullBufferHoldsTheWriterUntilTheReaderRequests() {
    Channel channel = registry.create(2);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    Recorder recorder = Recorder.subscribe(channel.takeReader().orElseThrow(), 0);

    CompletableFuture<Void> first = writer.write(ChannelItem.text("1")).toFuture();
    CompletableFuture<Void> second = writer.write(ChannelItem.text("2")).toFuture();
    CompletableFuture<Void> third = writer.write(ChannelItem.text("3")).toFuture();
    CompletableFuture<Void> fourth = writer.write(ChannelItem.text("4")).toFuture();

    assertThat(first).isCompleted();
    assertThat(second).isCompleted();
    assertThat(third).isNotDone();
    assertThat(fourth).isNotDone();
    assertThat(recorder.items()).isEmpty();

    recorder.request(1);
    assertThat(recorder.items()).containsExactly("T:1");
    assertThat(third).isCompleted();
    assertThat(fourth).isNotDone();

    recorder.request(10);
    assertThat(fourth).isCompleted();
    assertThat(recorder.items()).containsExactly("T:1", "T:2", "T:3", "T:4");
  }

  @Test
  void aSlowSubscriberLeavesItemsInTheBuffer() {
    Channel channel = registry.create(1);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    Recorder recorder = Recorder.subscribe(channel.takeReader().orElseThrow(), 1);

    writer.write(ChannelItem.text("a")).block(TIMEOUT); // delivered: one was requested
    writer.write(ChannelItem.text("b")).block(TIMEOUT); // buffered
    CompletableFuture<Void> third = writer.write(ChannelItem.text("c")).toFuture();

    assertThat(recorder.items()).containsExactly("T:a");
    assertThat(third).isNotDone();
    recorder.request(Long.MAX_VALUE);
    assertThat(third).isCompleted();
    assertThat(recorder.items()).containsExactly("T:a", "T:b", "T:c");
  }

  // ---------------------------------------------------------------- cancellation

  @Test
  void cancellingTheReaderFailsWaitingAndLaterWrites() {
    Channel channel = registry.create(1);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    Recorder recorder = Recorder.subscribe(channel.takeReader().orElseThrow(), 0);
    writer.write(ChannelItem.text("buffered")).block(TIMEOUT);
    CompletableFuture<Void> waiting = writer.write(ChannelItem.text("waiting")).toFuture();

    recorder.cancel();

    assertThat(waiting).isCompletedExceptionally();
    assertThatThrownBy(waiting::get)
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("reader has gone");
    assertThatThrownBy(() -> writer.write(ChannelItem.text("later")).block(TIMEOUT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reader has gone");
    assertThat(recorder.items()).isEmpty();
  }

  // ---------------------------------------------------------------- each end once

  @Test
  void eachEndCanBeTakenOnceAndTheReaderSubscribedOnce() {
    Channel channel = registry.create(1);

    assertThat(channel.takeWriter()).isPresent();
    assertThat(channel.takeWriter()).isEmpty();
    ChannelReaderEnd reader = channel.takeReader().orElseThrow();
    assertThat(channel.takeReader()).isEmpty();

    Recorder first = Recorder.subscribe(reader, 1);
    Recorder second = Recorder.subscribe(reader, 1);
    assertThat(first.error()).isNull();
    assertThat(second.error())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("subscribed only once");
  }

  @Test
  void theReaderMayBeTakenBeforeTheWriter() {
    Channel channel = registry.create(1);
    ChannelReaderEnd reader = channel.takeReader().orElseThrow();
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    writer.write(ChannelItem.text("x")).subscribe();
    writer.close();

    assertThat(reader.items().map(ChannelTest::show).collectList().block(TIMEOUT))
        .containsExactly("T:x");
  }

  @Test
  void bufferSizeIsClamped() {
    assertThat(registry.create(0).bufferSize()).isEqualTo(1);
    assertThat(registry.create(-5).bufferSize()).isEqualTo(1);
    assertThat(registry.create(64).bufferSize()).isEqualTo(64);
    assertThat(registry.create(5000).bufferSize()).isEqualTo(ChannelRegistry.MAX_BUFFER_SIZE);
  }

  // ---------------------------------------------------------------- threads

  @Test
  void tenThousandItemsCrossThreadsInOrderWithoutLossOrDuplicates() {
    Channel channel = registry.create(16);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    ChannelReaderEnd reader = channel.takeReader().orElseThrow();
    Scheduler writing = scheduler("writing");
    Scheduler reading = scheduler("reading");
    int count = 10_000;

    Flux.range(0, count)
        .publishOn(writing, 1)
        .concatMap(i -> writer.write(ChannelItem.binary(intBytes(i))), 1)
        .doFinally(signal -> writer.close())
        .subscribe();
    List<Integer> received =
        reader
            .items()
            .publishOn(reading, 7) // small, odd batches of demand from another thread
            .map(item -> ByteBuffer.wrap(item.bytes()).getInt())
            .collectList()
            .block(Duration.ofSeconds(10));

    assertThat(received).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(received.get(i)).isEqualTo(i);
    }
  }

  @Test
  void concurrentWritersLoseNothingAndKeepEachWritersOrder() throws Exception {
    Channel channel = registry.create(3);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    ChannelReaderEnd reader = channel.takeReader().orElseThrow();
    int threads = 4;
    int perThread = 2_500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<int[]> received = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicReference<Subscription> subscription = new AtomicReference<>();
    ExecutorService requester = Executors.newSingleThreadExecutor();
    try {
      reader
          .items()
          .subscribe(
              new BaseSubscriber<>() {
                int sinceRequest;

                @Override
                protected void hookOnSubscribe(Subscription s) {
                  subscription.set(s);
                  s.request(5);
                }

                @Override
                protected void hookOnNext(ChannelItem item) {
                  ByteBuffer buffer = ByteBuffer.wrap(item.bytes());
                  received.add(new int[] {buffer.getInt(), buffer.getInt()});
                  if (++sinceRequest == 5) {
                    sinceRequest = 0;
                    // Demand comes from yet another thread, racing with the writers.
                    requester.execute(() -> subscription.get().request(5));
                  }
                }

                @Override
                protected void hookOnComplete() {
                  done.complete(null);
                }

                @Override
                protected void hookOnError(Throwable e) {
                  done.completeExceptionally(e);
                }
              });
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    ByteBuffer item = ByteBuffer.allocate(8).putInt(thread).putInt(i);
                    writer.write(ChannelItem.binary(item.array())).block(TIMEOUT);
                  }
                }));
      }
      for (Future<?> future : writers) {
        future.get(10, TimeUnit.SECONDS);
      }
      writer.close();
      done.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
      requester.shutdownNow();
    }

    assertThat(received).hasSize(threads * perThread);
    int[] next = new int[threads];
    for (int[] item : received) {
      assertThat(item[1]).as("item of writer %d", item[0]).isEqualTo(next[item[0]]);
      next[item[0]]++;
    }
    assertThat(next).containsOnly(perThread);
  }

  // ---------------------------------------------------------------- registry cleanup

  @Test
  void aChannelLeavesTheRegistryOnceBothEndsHaveFinished() {
    Channel channel = registry.create(2);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    ChannelReaderEnd reader = channel.takeReader().orElseThrow();
    writer.write(ChannelItem.text("x")).block(TIMEOUT);
    writer.close();
    assertThat(registry.find(channel.id(), channel.accessKey(READ), READ)).isPresent();

    reader.items().blockLast(TIMEOUT);

    assertThat(registry.find(channel.id(), channel.accessKey(READ), READ)).isEmpty();
    assertThat(registry.size()).isZero();
  }

  @Test
  void aCancelledChannelLeavesTheRegistryOnceTheWriterCloses() {
    Channel channel = registry.create(2);
    ChannelWriterEnd writer = channel.takeWriter().orElseThrow();
    Recorder.subscribe(channel.takeReader().orElseThrow(), 1).cancel();
    assertThat(registry.size()).isEqualTo(1);

    writer.close();

    assertThat(registry.size()).isZero();
  }

  @Test
  void findNeedsTheRightKey() {
    Channel channel = registry.create(1);

    assertThat(registry.find(channel.id(), channel.accessKey(READ), READ)).containsSame(channel);
    assertThat(registry.find(channel.id(), "wrong", READ)).isEmpty();
    assertThat(registry.find("unknown", channel.accessKey(READ), READ)).isEmpty();
  }

  @Test
  void removeReleasesEndsNobodyTookAndKeepsTakenOnesWorking() {
    Channel readerOnly = registry.create(2);
    Recorder recorder = Recorder.subscribe(readerOnly.takeReader().orElseThrow(), 10);
    Channel writerOnly = registry.create(2);
    ChannelWriterEnd writer = writerOnly.takeWriter().orElseThrow();
    Channel both = registry.create(2);
    ChannelWriterEnd bothWriter = both.takeWriter().orElseThrow();
    Recorder bothReader = Recorder.subscribe(both.takeReader().orElseThrow(), 10);

    assertThat(registry.remove(readerOnly.id())).isTrue();
    assertThat(registry.remove(writerOnly.id())).isTrue();
    assertThat(registry.remove(both.id())).isTrue();
    assertThat(registry.remove(both.id())).isFalse();

    // The writer nobody took counts as closed: the waiting reader sees end-of-stream.
    recorder.awaitDone();
    assertThat(readerOnly.takeWriter()).isEmpty();
    // The reader nobody took counts as gone: writes fail.
    assertThatThrownBy(() -> writer.write(ChannelItem.text("x")).block(TIMEOUT))
        .hasMessageContaining("reader has gone");
    // A channel whose ends were both taken keeps streaming.
    bothWriter.write(ChannelItem.text("still")).block(TIMEOUT);
    bothWriter.close();
    bothReader.awaitDone();
    assertThat(bothReader.items()).containsExactly("T:still");
    assertThat(registry.size()).isZero();
  }

  @Test
  void sweepRemovesOldChannelsWithAnEndNobodyTook() {
    Channel untouched = registry.create(1);
    Channel readerOnly = registry.create(1);
    Recorder waiting = Recorder.subscribe(readerOnly.takeReader().orElseThrow(), 1);
    Channel writerOnly = registry.create(1);
    ChannelWriterEnd writer = writerOnly.takeWriter().orElseThrow();
    writer.write(ChannelItem.text("buffered")).block(TIMEOUT);
    CompletableFuture<Void> blocked = writer.write(ChannelItem.text("blocked")).toFuture();
    Channel bothTaken = registry.create(1);
    bothTaken.takeWriter().orElseThrow();
    bothTaken.takeReader().orElseThrow();
    long created = untouched.createdAtMs();

    assertThat(registry.sweep(created + TTL_MS - 1_000)).isZero();
    assertThat(registry.size()).isEqualTo(4);

    assertThat(registry.sweep(created + TTL_MS + 1_000)).isEqualTo(3);

    assertThat(registry.find(untouched.id(), untouched.accessKey(READ), READ)).isEmpty();
    assertThat(registry.find(readerOnly.id(), readerOnly.accessKey(READ), READ)).isEmpty();
    assertThat(registry.find(writerOnly.id(), writerOnly.accessKey(READ), READ)).isEmpty();
    // Both ends taken: never swept (as in the official engine).
    assertThat(registry.find(bothTaken.id(), bothTaken.accessKey(READ), READ))
        .containsSame(bothTaken);
    // The swept channels release the ends nobody took.
    waiting.awaitDone();
    assertThat(blocked).isCompletedExceptionally();
    assertThat(registry.sweep(created + 10 * TTL_MS)).isZero();
  }

  @Test
  void theSweepUsesTheCurrentTimeByDefault() {
    registry.create(1);

    assertThat(registry.sweep()).isZero();
    assertThat(registry.size()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- helpers

  private Scheduler scheduler(String name) {
    Scheduler scheduler = Schedulers.newSingle(name);
    schedulers.add(scheduler);
    return scheduler;
  }

  static String show(ChannelItem item) {
    return item.text() ? "T:" + item.asText() : "B:" + Arrays.toString(item.bytes());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] intBytes(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  /** A subscriber that requests only what the test asks for and records what it gets. */
  private static final class Recorder extends BaseSubscriber<ChannelItem> {

    private final List<String> items = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final long initialRequest;

    private Recorder(long initialRequest) {
      this.initialRequest = initialRequest;
    }

    static Recorder subscribe(ChannelReaderEnd reader, long initialRequest) {
      Recorder recorder = new Recorder(initialRequest);
      reader.items().subscribe(recorder);
      return recorder;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      if (initialRequest > 0) {
        subscription.request(initialRequest);
      }
    }

    @Override
    protected void hookOnNext(ChannelItem value) {
      items.add(show(value));
    }

    @Override
    protected void hookOnComplete() {
      done.set(true);
    }

    @Override
    protected void hookOnError(Throwable throwable) {
      error.set(throwable);
      done.set(true);
    }

    List<String> items() {
      synchronized (items) {
        return List.copyOf(items);
      }
    }

    boolean done() {
      return done.get();
    }

    Throwable error() {
      return error.get();
    }

    void awaitDone() {
      await().atMost(TIMEOUT).untilTrue(done);
    }
  }
}
