package dev.iii;

/** A trigger this worker registered. */
public interface Trigger {

  /** The trigger id (stable across reconnects). */
  String id();

  /** Removes the trigger from the engine and stops replaying it on reconnect. Idempotent. */
  void unregister();
}
