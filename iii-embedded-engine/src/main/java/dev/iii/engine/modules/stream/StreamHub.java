package dev.iii.engine.modules.stream;

import dev.iii.engine.support.RateLimitedLog;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The open stream sockets, and the one place messages are handed to them.
 *
 * <p>Concurrency: the socket set is concurrent; every message to a socket (changes, syncs,
 * refusals, completion) is handed over on the engine scheduler, one task at a time, so each
 * socket's queue has a single producer and sees messages in the order the functions published them.
 */
final class StreamHub {

  private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

  private final Executor scheduler;
  private final Set<StreamSocket> sockets = ConcurrentHashMap.newKeySet();
  private final RateLimitedLog warnings = new RateLimitedLog(log, Duration.ofSeconds(10));

  StreamHub(Executor scheduler) {
    this.scheduler = scheduler;
  }

  RateLimitedLog warnings() {
    return warnings;
  }

  void add(StreamSocket socket) {
    sockets.add(socket);
  }

  void remove(StreamSocket socket) {
    sockets.remove(socket);
  }

  /** Number of open sockets. */
  int socketCount() {
    return sockets.size();
  }

  /** Pushes a change or custom event to every socket subscribed to its stream and group. */
  void publish(JsonNode message) {
    execute(
        () -> {
          String text = message.toString(); // once, whichever sockets want it
          sockets.forEach(socket -> socket.deliver(message, text));
        });
  }

  /** Runs a hand-over task on the scheduler; dropped (and logged) once the engine stops. */
  void execute(Runnable task) {
    try {
      scheduler.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("Stream message not delivered: the engine is stopping");
    }
  }

  /** Closes every socket. */
  void closeAll() {
    sockets.forEach(StreamSocket::close);
    sockets.clear();
  }
}
