package dev.iii.engine.transport;

import dev.iii.engine.registry.Worker;
import dev.iii.engine.router.MessageRouter;
import dev.iii.engine.support.RateLimitedLog;
import dev.iii.protocol.ProtocolException;

/**
 * What happens to a worker message the codec cannot decode (nesting too deep, a number too long,
 * cut-off JSON…): its top-level {@code type} and {@code invocation_id} are found with {@link
 * FrameScanner} and the router ends the invocation it belongs to; every such message is reported
 * through the rate-limited warning log, so a stream of bad frames writes one line per interval.
 *
 * <p>Stateless apart from the shared, lock-free warning log; safe from any thread.
 */
final class UndecodableMessages {

  /** The longest decoder message passed on to a caller or the log. */
  private static final int MAX_PROBLEM_CHARS = 300;

  private final MessageRouter router;
  private final RateLimitedLog warnings;

  UndecodableMessages(MessageRouter router, RateLimitedLog warnings) {
    this.router = router;
    this.warnings = warnings;
  }

  /** Ends what the message belongs to, if it can be found, and reports it. */
  void handle(Worker worker, byte[] json, ProtocolException error) {
    String problem = problem(error);
    FrameScanner.Fields fields = FrameScanner.scan(json);
    String type = fields.type();
    String invocationId = fields.invocationId();
    String address = String.valueOf(worker.ipAddress());
    if (type != null
        && invocationId != null
        && router.undecodable(worker, type, invocationId, fields.functionId(), problem)) {
      warnings.warn(
          "undecodable " + type,
          "{} ({}): could not decode its {} for invocation {} ({} bytes), which was ended with an"
              + " error: {}",
          worker,
          address,
          type,
          invocationId,
          json.length,
          problem);
    } else {
      warnings.warn(
          "undecodable message",
          "{} ({}): could not decode a message ({} bytes, type {}), dropped: {}",
          worker,
          address,
          json.length,
          type == null ? "unknown" : type,
          problem);
    }
  }

  /** The decoder's message, first line only and short (it may quote the input). */
  static String problem(ProtocolException error) {
    String message = String.valueOf(error.getMessage());
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    return message.length() > MAX_PROBLEM_CHARS
        ? message.substring(0, MAX_PROBLEM_CHARS) + "…"
        : message;
  }
}
