package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.engine.modules.channels.Channel;
import dev.iii.engine.modules.channels.ChannelItem;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.modules.channels.ChannelSlot;
import dev.iii.protocol.ChannelRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reserved channels: refs that exist before their channel does, as an HTTP request hands its
 * function. The channel is built when an end is first found, its open action runs once and first,
 * and a reservation nobody used leaves nothing behind.
 */
class ChannelReservationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ChannelRegistry registry = new ChannelRegistry();

  @Test
  void aReservationIsBuiltWhenFirstFoundAndItsOpenActionRunsOnceBeforeAnyoneGetsIt() {
    List<Channel> opened = new CopyOnWriteArrayList<>();
    ChannelSlot slot =
        registry.reserve(
            4,
            channel -> {
              opened.add(channel);
              channel.takeReader().orElseThrow(); // the end the engine keeps
            });
    ChannelRef ref = slot.ref(ChannelRef.Direction.WRITE);

    assertThat(ref.channelId()).isEqualTo(slot.id());
    assertThat(registry.size()).isEqualTo(1);
    assertThat(opened).isEmpty();

    Channel found = registry.find(ref.channelId(), ref.accessKey(), ref.direction()).orElseThrow();

    assertThat(opened).containsExactly(found);
    assertThat(found.takeReader()).isEmpty();
    assertThat(found.takeWriter()).isPresent();
    assertThat(registry.find(ref.channelId(), ref.accessKey(), ref.direction()))
        .containsSame(found);
    assertThat(opened).hasSize(1);
  }

  @Test
  void theRefsOfAReservationShareItsIdButEachEndHasItsOwnKey() {
    ChannelSlot slot = registry.reserve(4, channel -> {});

    ChannelRef reader = slot.ref(ChannelRef.Direction.READ);
    ChannelRef writer = slot.ref(ChannelRef.Direction.WRITE);

    assertThat(reader.channelId()).isEqualTo(writer.channelId());
    assertThat(reader.accessKey()).isNotEqualTo(writer.accessKey());
    assertThat(reader.accessKey()).hasSize(32); // 24 random bytes, base64url
    assertThat(writer.accessKey()).hasSize(32);
  }

  @Test
  void aKeyOpensOnlyItsOwnEnd() {
    ChannelSlot slot = registry.reserve(4, channel -> {});
    String readerKey = slot.ref(ChannelRef.Direction.READ).accessKey();
    String writerKey = slot.ref(ChannelRef.Direction.WRITE).accessKey();

    assertThat(registry.find(slot.id(), readerKey, ChannelRef.Direction.WRITE)).isEmpty();
    assertThat(registry.find(slot.id(), writerKey, ChannelRef.Direction.READ)).isEmpty();
    assertThat(registry.find(slot.id(), writerKey, ChannelRef.Direction.WRITE)).isPresent();
    assertThat(registry.find(slot.id(), readerKey, ChannelRef.Direction.READ)).isPresent();
  }

  @Test
  void aWrongKeyNeitherFindsNorBuildsAReservation() {
    List<Channel> opened = new CopyOnWriteArrayList<>();
    ChannelSlot slot = registry.reserve(4, opened::add);

    assertThat(registry.find(slot.id(), "wrong", ChannelRef.Direction.READ)).isEmpty();
    assertThat(registry.find(slot.id(), "", ChannelRef.Direction.READ)).isEmpty();

    assertThat(opened).isEmpty();
  }

  @Test
  void aReservationRemovedBeforeUseIsNeverBuiltAndCannotBeFound() {
    List<Channel> opened = new CopyOnWriteArrayList<>();
    ChannelSlot slot = registry.reserve(4, opened::add);
    String key = slot.ref(ChannelRef.Direction.READ).accessKey();

    assertThat(registry.remove(slot.id())).isTrue();

    assertThat(registry.find(slot.id(), key, ChannelRef.Direction.READ)).isEmpty();
    assertThat(registry.remove(slot.id())).isFalse();
    assertThat(registry.size()).isZero();
    assertThat(opened).isEmpty();
  }

  @Test
  void concurrentFindsBuildOneChannelAndRunTheOpenActionOnce() throws Exception {
    List<Channel> opened = new CopyOnWriteArrayList<>();
    ChannelSlot slot = registry.reserve(4, opened::add);
    String key = slot.ref(ChannelRef.Direction.READ).accessKey();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Channel>> finds = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        finds.add(
            pool.submit(
                () -> {
                  start.await();
                  return registry.find(slot.id(), key, ChannelRef.Direction.READ).orElseThrow();
                }));
      }
      start.countDown();
      List<Channel> found = new ArrayList<>();
      for (Future<Channel> find : finds) {
        found.add(find.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      }

      assertThat(opened).hasSize(1);
      assertThat(found).allSatisfy(channel -> assertThat(channel).isSameAs(opened.get(0)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSweepRemovesOldReservationsNobodyOpenedWithoutBuildingThem() {
    List<Channel> opened = new CopyOnWriteArrayList<>();
    ChannelSlot slot = registry.reserve(4, opened::add);
    long later = System.currentTimeMillis() + ChannelRegistry.CHANNEL_TTL.toMillis() + 60_000;

    assertThat(registry.sweep(later)).isEqualTo(1);

    assertThat(registry.size()).isZero();
    assertThat(
            registry.find(
                slot.id(),
                slot.ref(ChannelRef.Direction.READ).accessKey(),
                ChannelRef.Direction.READ))
        .isEmpty();
    assertThat(opened).isEmpty();
  }

  @Test
  void anOpenedReservationLeavesTheRegistryOnceBothEndsHaveFinished() {
    // As an HTTP request without a body: the engine closes the writer when a worker opens it.
    ChannelSlot slot = registry.reserve(4, channel -> channel.takeWriter().orElseThrow().close());
    Channel channel =
        registry
            .find(
                slot.id(),
                slot.ref(ChannelRef.Direction.READ).accessKey(),
                ChannelRef.Direction.READ)
            .orElseThrow();

    List<ChannelItem> items =
        channel.takeReader().orElseThrow().items().collectList().block(TIMEOUT);

    assertThat(items).isEmpty();
    assertThat(registry.size()).isZero();
  }
}
