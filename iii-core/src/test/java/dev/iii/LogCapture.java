package dev.iii;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what one logger logs while open (logback), for tests that assert nothing is silent. */
final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String name) {
    this.logger = (Logger) LoggerFactory.getLogger(name);
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts recording what the logger of {@code loggerOf} logs. */
  static LogCapture of(Class<?> loggerOf) {
    return new LogCapture(loggerOf.getName());
  }

  /** Starts recording what the logger named {@code name} logs. */
  static LogCapture of(String name) {
    return new LogCapture(name);
  }

  /** The formatted messages logged at {@code level} so far. */
  List<String> messages(Level level) {
    return List.copyOf(appender.list).stream()
        .filter(event -> event.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
