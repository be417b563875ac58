package dev.iii;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The logger of a function invocation (the reference SDK's {@code ctx.logger}). It logs through
 * SLF4J, logger {@code dev.iii.function}, with the function id and invocation id in the MDC
 * ({@value #MDC_FUNCTION_ID}, {@value #MDC_INVOCATION_ID}) and the {@code extra} entries as
 * key-value pairs.
 */
public final class ContextLogger {

  /** MDC key holding the function id. */
  public static final String MDC_FUNCTION_ID = "iii.function_id";

  /** MDC key holding the invocation id. */
  public static final String MDC_INVOCATION_ID = "iii.invocation_id";

  private static final Logger LOG = LoggerFactory.getLogger("dev.iii.function");

  private final @Nullable String functionId;
  private final @Nullable String invocationId;

  /**
   * @param functionId the function the records belong to, or {@code null} outside a function
   * @param invocationId the invocation, when known
   */
  public ContextLogger(@Nullable String functionId, @Nullable String invocationId) {
    this.functionId = functionId;
    this.invocationId = invocationId;
  }

  public @Nullable String functionId() {
    return functionId;
  }

  public void info(String message) {
    log(Level.INFO, message, null);
  }

  public void info(String message, @Nullable Map<String, ?> extra) {
    log(Level.INFO, message, extra);
  }

  public void warn(String message) {
    log(Level.WARN, message, null);
  }

  public void warn(String message, @Nullable Map<String, ?> extra) {
    log(Level.WARN, message, extra);
  }

  public void error(String message) {
    log(Level.ERROR, message, null);
  }

  public void error(String message, @Nullable Map<String, ?> extra) {
    log(Level.ERROR, message, extra);
  }

  public void debug(String message) {
    log(Level.DEBUG, message, null);
  }

  public void debug(String message, @Nullable Map<String, ?> extra) {
    log(Level.DEBUG, message, extra);
  }

  private void log(Level level, String message, @Nullable Map<String, ?> extra) {
    if (!LOG.isEnabledForLevel(level)) {
      return;
    }
    String previousFunction = MDC.get(MDC_FUNCTION_ID);
    String previousInvocation = MDC.get(MDC_INVOCATION_ID);
    putOrRemove(MDC_FUNCTION_ID, functionId);
    putOrRemove(MDC_INVOCATION_ID, invocationId);
    try {
      LoggingEventBuilder event = LOG.atLevel(level);
      if (extra != null) {
        for (Map.Entry<String, ?> entry : extra.entrySet()) {
          event = event.addKeyValue(entry.getKey(), entry.getValue());
        }
      }
      event.log(functionId == null ? message : "[" + functionId + "] " + message);
    } finally {
      putOrRemove(MDC_FUNCTION_ID, previousFunction);
      putOrRemove(MDC_INVOCATION_ID, previousInvocation);
    }
  }

  private static void putOrRemove(String key, @Nullable String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
