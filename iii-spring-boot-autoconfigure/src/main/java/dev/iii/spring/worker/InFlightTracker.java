package dev.iii.spring.worker;

/** Counts running invocations and refuses new ones while the worker shuts down. */
interface InFlightTracker {

  /** Counts an invocation in; {@code false} when invocations are refused. */
  boolean tryEnter();

  /** Counts an invocation out, once its result (possibly asynchronous) went to the client. */
  void exit();
}
