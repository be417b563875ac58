package dev.iii.engine.modules.queue;

/** A queue holds as many live messages as it may; the message was refused. */
final class QueueFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  QueueFullException(String queue, int bound) {
    super("Queue '" + queue + "' is full: it holds " + bound + " messages, the most it may");
  }
}
