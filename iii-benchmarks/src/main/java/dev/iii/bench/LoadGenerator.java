package dev.iii.bench;

/** Keeps a number of calls in flight against one target until told otherwise. */
interface LoadGenerator {

  /**
   * Stops the calls in flight (waiting for those already issued to finish) and keeps {@code
   * inFlight} calls going from then on; {@code 0} stops.
   */
  void setInFlight(int inFlight);
}
