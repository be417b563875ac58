package dev.iii.protocol;

/** Names the engine gives to what it adds to payloads. */
public final class WireFields {

  /**
   * Added by the engine to the (object) data of every call a worker makes: the id of the calling
   * worker.
   */
  public static final String CALLER_WORKER_ID = "_caller_worker_id";

  private WireFields() {}
}
