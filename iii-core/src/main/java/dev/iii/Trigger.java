package dev.iii;

import java.util.concurrent.CompletableFuture;

/** A trigger this worker registered. */
public interface Trigger {

  /** The trigger id (stable across reconnects). */
  String id();

  /** Removes the trigger from the engine and stops replaying it on reconnect. Idempotent. */
  void unregister();

  /**
   * What became of the registration. Engines confirm no trigger, so this stays incomplete while the
   * trigger stands. It fails with an {@link IIIException} carrying the engine's code and reason
   * when the engine refuses the trigger ({@code triggerregistrationresult} with an error: a route
   * that conflicts, a bad cron expression, a provider that refused it…); the refusal is also logged
   * at WARN. The trigger is still sent again after a reconnect. It completes normally on {@link
   * #unregister()}. Dependent stages run on an SDK thread, never on a network thread.
   */
  CompletableFuture<Void> status();
}
