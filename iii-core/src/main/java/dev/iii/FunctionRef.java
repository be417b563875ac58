package dev.iii;

import java.util.concurrent.CompletableFuture;

/** A function this worker registered. */
public interface FunctionRef {

  /** The function id. */
  String id();

  /** Removes the function from the engine and stops replaying it on reconnect. Idempotent. */
  void unregister();

  /**
   * What became of the registration. Engines confirm no registration, so this stays incomplete
   * while the function stands. It fails with an {@link IIIException} when the engine refuses the
   * function (an engine 0.23+ {@code registrationrejected}, e.g. code {@code
   * FUNCTION_NAMESPACE_CONFLICT} when another live worker exports the id); the refusal is also
   * logged at WARN. It completes normally on {@link #unregister()}. Dependent stages run on an SDK
   * thread, never on a network thread.
   */
  CompletableFuture<Void> status();
}
