package dev.iii.internal;

import dev.iii.TriggerConfig;
import dev.iii.TriggerHandler;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.RegisterTrigger;
import dev.iii.protocol.TriggerRegistrationResult;
import dev.iii.protocol.UnregisterTrigger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts the trigger types this worker provides: the engine hands it each trigger of those types to
 * arm or disarm. Handlers run on the handler executor; each registration is acknowledged on the
 * session it came from. After a reconnect the engine hands the same triggers over again; each is
 * armed once. Concurrency: the armed triggers are a concurrent map; handler calls for one trigger
 * come in the engine's order.
 */
public final class TriggerTypeHost {

  private static final Logger log = LoggerFactory.getLogger(TriggerTypeHost.class);

  private final Registrations registrations;
  private final Payloads payloads;
  private final Executor executor;
  private final MessageCodec codec = MessageCodec.instance();
  private final Map<String, ArmedTrigger> armed = new ConcurrentHashMap<>();

  public TriggerTypeHost(Registrations registrations, Payloads payloads, Executor executor) {
    this.registrations = registrations;
    this.payloads = payloads;
    this.executor = executor;
  }

  /** The engine asks to arm a trigger (on an I/O thread). */
  public void register(Session from, RegisterTrigger register) {
    TriggerHandler handler = registrations.triggerType(register.triggerType());
    if (handler == null) {
      acknowledge(
          from, register, new ErrorBody("trigger_type_not_found", "Trigger type not found"));
      return;
    }
    TriggerConfig config =
        new TriggerConfig(
            register.id(),
            register.functionId(),
            payloads.toPlain(register.config()),
            payloads.toPlain(register.metadata()));
    run(
        () -> {
          try {
            ArmedTrigger previous = armed.get(register.id());
            if (previous == null || !previous.config().equals(config)) {
              if (previous != null) {
                previous.handler().unregisterTrigger(previous.config());
              }
              handler.registerTrigger(config);
              armed.put(register.id(), new ArmedTrigger(handler, config));
            }
            acknowledge(from, register, null);
          } catch (Exception e) {
            log.warn(
                "Trigger type {} refused trigger {}: {}",
                register.triggerType(),
                register.id(),
                e.getMessage());
            acknowledge(
                from,
                register,
                new ErrorBody("trigger_registration_failed", String.valueOf(e.getMessage())));
          }
        });
  }

  /** The engine asks to disarm a trigger (on an I/O thread). */
  public void unregister(UnregisterTrigger unregister) {
    ArmedTrigger trigger = armed.remove(unregister.id());
    if (trigger == null) {
      return;
    }
    run(
        () -> {
          try {
            trigger.handler().unregisterTrigger(trigger.config());
          } catch (Exception e) {
            log.warn("Failed to unregister trigger {}", unregister.id(), e);
          }
        });
  }

  private void acknowledge(Session from, RegisterTrigger register, @Nullable ErrorBody error) {
    from.send(
        codec.encodeToBytes(
            new TriggerRegistrationResult(
                register.id(), register.triggerType(), register.functionId(), error)));
  }

  private void run(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      log.warn("Handler executor rejected a trigger-type task; is the client shutting down?");
    }
  }

  /** A trigger one of our handlers has armed. */
  private record ArmedTrigger(TriggerHandler handler, TriggerConfig config) {}
}
