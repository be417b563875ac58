package dev.iii.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what the engine logs while a test runs. */
final class EngineLogCapture implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.iii.engine");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  EngineLogCapture() {
    appender.start();
    logger.addAppender(appender);
  }

  /** The ERROR events so far, formatted with their exception. */
  List<String> errors() {
    return List.copyOf(appender.list).stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
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

  /** The WARN events so far, formatted. */
  List<String> warnings() {
    return List.copyOf(appender.list).stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
