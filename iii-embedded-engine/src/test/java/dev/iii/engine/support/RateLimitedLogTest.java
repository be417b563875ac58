package dev.iii.engine.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger("test.rate-limited");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final AtomicLong now = new AtomicLong();
  private final RateLimitedLog log = new RateLimitedLog(logger, Duration.ofSeconds(10), now::get);

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  @Test
  void aFloodOfOneCauseWritesOneLineThenOnePerIntervalWithTheCount() {
    for (int i = 0; i < 1000; i++) {
      log.warn("bad frame", "bad frame from {}", "w" + i);
    }
    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("bad frame from w0");

    now.addAndGet(Duration.ofSeconds(10).toNanos());
    log.warn("bad frame", "bad frame from {}", "w1000");

    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "bad frame from w0",
            "bad frame from w1000 (999 more like this since the last such line were not logged)");
  }

  @Test
  void causesHaveTheirOwnBudgetsAndAThrowableStaysTheException() {
    IllegalStateException boom = new IllegalStateException("boom");
    log.warn("a", "first {}", 1);
    log.warn("b", "second {}", 2, boom);
    log.warn("b", "second {}", 3, boom);
    now.addAndGet(Duration.ofSeconds(11).toNanos());
    log.warn("b", "second {}", 4, boom);

    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "first 1",
            "second 2",
            "second 4 (1 more like this since the last such line were not logged)");
    assertThat(appender.list.get(2).getThrowableProxy().getMessage()).isEqualTo("boom");
  }

  @Test
  void pastTheCauseLimitNewCausesShareOneBudget() {
    for (int i = 0; i < RateLimitedLog.MAX_CAUSES + 50; i++) {
      log.warn("cause-" + i, "line {}", i);
    }
    assertThat(appender.list).hasSize(RateLimitedLog.MAX_CAUSES + 1);
  }
}
