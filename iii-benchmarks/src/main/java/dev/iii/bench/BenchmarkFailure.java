package dev.iii.bench;

/** A scenario could not be measured: a process did not start, died, or a call failed. */
final class BenchmarkFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  BenchmarkFailure(String message) {
    super(message);
  }

  BenchmarkFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
