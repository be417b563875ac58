package dev.iii.engine.router;

import dev.iii.engine.registry.InvalidTriggerException;
import dev.iii.engine.registry.ProviderUnavailableException;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import dev.iii.engine.registry.Worker;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.RegisterTrigger;
import dev.iii.protocol.UnregisterTrigger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A trigger type provided by a worker: triggers are forwarded to its connection as {@code
 * registertrigger} (with their {@code metadata}) and {@code unregistertrigger}. A confirmed
 * registration waits for the worker's {@code triggerregistrationresult}, at most {@link
 * #ACK_TIMEOUT}; without an answer in time, or when the connection ends first, the trigger counts
 * as accepted, as in the official engine. Stateless: the waits live on the {@link Worker}.
 */
record WorkerTriggerProvider(Worker worker) implements TriggerProvider {

  /** How long a confirmed registration waits for the provider's answer (the official 10 s). */
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public void register(Trigger trigger) {
    if (!worker.send(message(trigger))) {
      throw new ProviderUnavailableException(worker + " is disconnecting");
    }
  }

  @Override
  public CompletionStage<Void> registerConfirmed(Trigger trigger) {
    CompletableFuture<@Nullable ErrorBody> ack = worker.expectTriggerAck(trigger.id());
    if (!worker.send(message(trigger))) {
      worker.forgetTriggerAck(trigger.id(), ack);
      throw new ProviderUnavailableException(worker + " is disconnecting");
    }
    return ack.completeOnTimeout(null, ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            error -> {
              worker.forgetTriggerAck(trigger.id(), ack);
              if (error != null) {
                throw new InvalidTriggerException(error.code() + ": " + error.message());
              }
              return null;
            });
  }

  @Override
  public void unregister(Trigger trigger) {
    worker.send(new UnregisterTrigger(trigger.id(), trigger.triggerType()));
  }

  private static RegisterTrigger message(Trigger trigger) {
    return new RegisterTrigger(
        trigger.id(),
        trigger.triggerType(),
        trigger.functionId(),
        trigger.config(),
        trigger.metadata());
  }
}
