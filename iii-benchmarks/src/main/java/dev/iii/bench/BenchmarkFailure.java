package dev.iii.bench;

/** A scenario could not be measured: a process did not start, died, or a call failed. */
final class BenchmarkFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  BenchmarkFailure(String message) {
    super(message);
    this.reason = message;
  }

  BenchmarkFailure(String message, Throwable cause) {
    super(message, cause);
    this.reason = message;
  }

  /** What went wrong; never null. */
  @Override
  public String getMessage() {
    return reason;
  }
}
