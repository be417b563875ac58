package dev.iii.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.iii.CallInterceptor;
import dev.iii.IIIException;
import dev.iii.protocol.InvocationIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * D21: a long outage with a full offline queue drops a call for each new one; the drops are told at
 * WARN once per interval with a count, not once per call, and none goes untold.
 */
class OfflineQueueTest {

  private static final Duration LONG = Duration.ofMinutes(5);

  private final ch.qos.logback.classic.Logger logger =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(OfflineQueue.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final AtomicLong now = new AtomicLong();
  private final PendingCalls pendingCalls = new PendingCalls(Runnable::run);
  private final OfflineQueue queue =
      new OfflineQueue(
          2,
          pendingCalls,
          new RateLimitedLog(
              LoggerFactory.getLogger(OfflineQueue.class), OfflineQueue.WARN_INTERVAL, now::get));

  OfflineQueueTest() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(appender);
  }

  private List<String> warnings() {
    return List.copyOf(appender.list).stream()
        .filter(event -> event.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private List<PendingCall<Object>> queueCalls(int count) {
    List<PendingCall<Object>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PendingCall<Object> call =
          pendingCalls.add(
              InvocationIds.random(),
              "remote::f" + i,
              LONG,
              CallInterceptor.Completion.NONE,
              result -> null);
      calls.add(call);
      queue.add(new OfflineQueue.Queued(new byte[0], call, call.functionId()));
    }
    return calls;
  }

  @Test
  void dropsAreWarnedOncePerIntervalWithACount() {
    List<PendingCall<Object>> calls = queueCalls(1002); // 1,000 dropped

    assertThat(warnings())
        .singleElement()
        .asString()
        .contains("Offline queue full (2 messages)")
        .contains("remote::f0");
    // Every dropped call still fails, each with its own error.
    assertThat(calls.subList(0, 1000))
        .allSatisfy(
            call ->
                assertThat(call.future())
                    .failsWithin(Duration.ZERO)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                        IIIException.class,
                        e -> assertThat(e.code()).isEqualTo(IIIException.QUEUE_OVERFLOW)));

    // The outage goes on: one more line per interval, counting the drops held back.
    now.addAndGet(OfflineQueue.WARN_INTERVAL.toNanos());
    queueCalls(1);
    assertThat(warnings()).hasSize(2);
    assertThat(warnings().get(1)).contains("remote::f1000").contains("999 more");

    // Reconnected: what is still held back is told.
    queueCalls(5);
    assertThat(queue.drain()).hasSize(2);
    assertThat(warnings()).hasSize(3);
    assertThat(warnings().get(2)).contains("5 more calls were dropped");

    // The next outage's first drop is told at once.
    queueCalls(3);
    assertThat(warnings()).hasSize(4);
  }

  @Test
  void aDrainWithoutDropsSaysNothing() {
    queueCalls(2);
    assertThat(queue.drain()).hasSize(2);
    assertThat(warnings()).isEmpty();
  }
}
