package dev.iii.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@link RateLimitedLog}: one line per interval, counts of what was held back, on a test clock. */
class RateLimitedLogTest {

  private static final String NAME = "dev.iii.internal.RateLimitedLogTest.log";

  private final ch.qos.logback.classic.Logger logger =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final AtomicLong now = new AtomicLong(42);
  private final RateLimitedLog log =
      new RateLimitedLog(LoggerFactory.getLogger(NAME), Duration.ofSeconds(1), now::get);

  RateLimitedLogTest() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(appender);
  }

  private List<String> lines() {
    return appender.list.stream()
        .filter(event -> event.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void firstLineAtOnceThenOnePerIntervalWithTheCount() {
    for (int i = 0; i < 100; i++) {
      log.warn("dropped {}", i);
    }
    assertThat(lines()).containsExactly("dropped 0");
    assertThat(log.held()).isEqualTo(99);

    now.addAndGet(Duration.ofMillis(999).toNanos());
    log.warn("dropped {}", 100);
    assertThat(lines()).hasSize(1);

    now.addAndGet(Duration.ofMillis(1).toNanos());
    log.warn("dropped {}", 101);
    assertThat(lines())
        .containsExactly("dropped 0", "dropped 101 (100 more like this since the last such line)");
    assertThat(log.held()).isZero();
  }

  @Test
  void flushTellsWhatIsHeldBackAndRearms() {
    log.flush("{} held", "nothing");
    assertThat(lines()).isEmpty();

    log.warn("a");
    log.warn("b");
    log.warn("c");
    log.flush("queue {}: {} more", "q");
    assertThat(lines()).containsExactly("a", "queue q: 2 more");

    log.warn("d"); // at once after a flush, though the interval has not passed
    assertThat(lines()).containsExactly("a", "queue q: 2 more", "d");
  }
}
