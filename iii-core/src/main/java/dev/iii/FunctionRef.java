package dev.iii;

/** A function this worker registered. */
public interface FunctionRef {

  /** The function id. */
  String id();

  /** Removes the function from the engine and stops replaying it on reconnect. Idempotent. */
  void unregister();
}
