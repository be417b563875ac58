package dev.iii.spring.worker;

/**
 * What one function runs and queues now, against its own limits ({@code @IIIFunction(concurrency,
 * queueCapacity)} or {@code iii.worker.functions[id].*}). Read by the metrics; every read is a
 * snapshot.
 */
public interface IIIFunctionLoad {

  /** The function's id. */
  String functionId();

  /** How many of its invocations may run at once. */
  int concurrency();

  /** How many more may wait for a free slot. */
  int queueCapacity();

  /** How many run now. */
  int running();

  /** How many wait now. */
  int queued();

  /** How many were refused so far because its queue was full. */
  long rejectedOverloaded();

  /** How many were refused so far because they arrived after shutdown began. */
  long rejectedShuttingDown();
}
