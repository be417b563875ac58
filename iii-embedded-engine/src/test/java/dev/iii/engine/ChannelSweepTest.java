package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.engine.ChannelEndpointTest.ChannelSocket;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.channels.Channel;
import dev.iii.engine.modules.channels.ChannelEndpoint;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.protocol.ChannelRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The channel endpoint with a registry and a scheduler the test controls: the sweep runs on demand
 * with a time five minutes ahead instead of after five minutes, and its schedule is checked as it
 * was asked for, so nothing depends on the machine's speed.
 */
class ChannelSweepTest {

  private static final long TTL_MS = Duration.ofMinutes(5).toMillis();

  private final ChannelRegistry registry = new ChannelRegistry();
  private final RecordingScheduler scheduler = new RecordingScheduler();
  private final ChannelEndpoint endpoint = new ChannelEndpoint();
  private DisposableServer server;

  @BeforeEach
  void start() {
    endpoint.start(new ModuleContext(null, null, null, null, null, registry, scheduler));
    server = HttpServer.create().host("127.0.0.1").port(0).route(endpoint::engineRoutes).bindNow();
  }

  @AfterEach
  void stop() {
    server.disposeNow(Duration.ofSeconds(5));
    endpoint.close();
    scheduler.shutdownNow();
  }

  private String url(Channel channel, String dir) {
    ChannelRef.Direction direction =
        "read".equals(dir) ? ChannelRef.Direction.READ : ChannelRef.Direction.WRITE;
    return ChannelSocket.url(
        "ws://127.0.0.1:" + server.port(), channel.id(), channel.accessKey(direction), dir);
  }

  /** A scheduler that remembers how each periodic task was scheduled, as asked. */
  private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {

    record Periodic(long initialDelay, long period, TimeUnit unit) {}

    final List<Periodic> periodic = new CopyOnWriteArrayList<>();

    RecordingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      periodic.add(new Periodic(initialDelay, period, unit));
      return super.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      periodic.add(new Periodic(initialDelay, delay, unit));
      return super.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }
  }

  @Test
  void theSweepIsScheduledEveryMinuteAndStopsWithTheModule() {
    // What was asked of the scheduler, not how much of the minute has passed since: that depends
    // on how busy the machine is.
    assertThat(scheduler.periodic)
        .singleElement()
        .satisfies(
            sweep -> {
              assertThat(sweep.unit().toMillis(sweep.initialDelay())).isEqualTo(60_000L);
              assertThat(sweep.unit().toMillis(sweep.period())).isEqualTo(60_000L);
            });
    assertThat(scheduler.getQueue()).hasSize(1);
    RunnableScheduledFuture<?> task = (RunnableScheduledFuture<?>) scheduler.getQueue().peek();
    assertThat(task.isPeriodic()).isTrue();

    endpoint.close();

    assertThat(task.isCancelled()).isTrue();
  }

  @Test
  void sweepingAnAbandonedChannelClosesItsWaitingReaderAndForgetsIt() {
    Channel abandoned = registry.create(4);
    Channel inUse = registry.create(4);
    try (ChannelSocket reader = ChannelSocket.open(url(abandoned, "read"));
        ChannelSocket inUseReader = ChannelSocket.open(url(inUse, "read"));
        ChannelSocket inUseWriter = ChannelSocket.open(url(inUse, "write"))) {
      inUseWriter.sendText("before");
      assertThat(inUseReader.awaitFrames(1)).containsExactly("T:before");

      assertThat(registry.sweep(abandoned.createdAtMs() + TTL_MS + 1_000)).isEqualTo(1);

      // The writer never came: the reader gets the end of the stream.
      assertThat(reader.awaitClose().code()).isEqualTo(1005);
      assertThat(ChannelSocket.handshake(url(abandoned, "write"), true).status()).isEqualTo(404);
      // A channel with both ends taken is kept and keeps streaming.
      inUseWriter.sendText("after");
      assertThat(inUseReader.awaitFrames(1)).containsExactly("T:after");
      assertThat(
              registry.find(
                  inUse.id(),
                  inUse.accessKey(ChannelRef.Direction.READ),
                  ChannelRef.Direction.READ))
          .isPresent();
    }
  }

  @Test
  void aFinishedChannelLeavesTheRegistry() {
    Channel channel = registry.create(4);
    try (ChannelSocket reader = ChannelSocket.open(url(channel, "read"));
        ChannelSocket writer = ChannelSocket.open(url(channel, "write"))) {
      writer.sendBinary("x");
      writer.end();
      assertThat(reader.awaitFrames(1)).containsExactly("B:x");
      reader.awaitClose();
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> registry.size() == 0);
  }
}
