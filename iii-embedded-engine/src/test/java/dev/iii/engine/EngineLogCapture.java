package dev.iii.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what the engine logs at WARN and ERROR level while a test runs. */
final class EngineLogCapture implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.iii.engine");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  EngineLogCapture() {
    appender.start();
    logger.addAppender(appender);
  }

  /** The ERROR events so far, formatted with their exception. */
  List<String> errors() {
    return atLeast(Level.ERROR);
  }

  /** The WARN (and ERROR) events so far, formatted with their exception. */
  List<String> warnings() {
    return atLeast(Level.WARN);
  }

  private List<String> atLeast(Level level) {
    return List.copyOf(appender.list).stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(level))
        .map(
            e ->
                e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : " / "
                            + e.getThrowableProxy().getClassName()
                            + ": "
                            + e.getThrowableProxy().getMessage()))
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
