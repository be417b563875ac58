package dev.iii.engine.router;

import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.InvalidTriggerException;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.ServiceRegistry;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.TriggerType;
import dev.iii.engine.registry.Worker;
import dev.iii.engine.registry.WorkerRegistry;
import dev.iii.protocol.EngineFunctions;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.InvocationAction;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.Message;
import dev.iii.protocol.Ping;
import dev.iii.protocol.Pong;
import dev.iii.protocol.RawJson;
import dev.iii.protocol.Reattach;
import dev.iii.protocol.RegisterFunction;
import dev.iii.protocol.RegisterService;
import dev.iii.protocol.RegisterTrigger;
import dev.iii.protocol.RegisterTriggerType;
import dev.iii.protocol.TriggerRegistrationResult;
import dev.iii.protocol.UnregisterFunction;
import dev.iii.protocol.UnregisterTrigger;
import dev.iii.protocol.UnregisterTriggerType;
import dev.iii.protocol.WorkerRegistered;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What each worker message does. Messages from one connection arrive here in order; nothing here
 * blocks. A {@code reattach} retires the worker's previous connection; the connection holds its
 * later messages (the replayed registrations) until that clean-up has run.
 *
 * <p>Concurrency: called from every connection's event loop at once; its own state is one volatile
 * hook and a copy-on-write listener list, and everything else lives in the concurrent registries.
 */
public final class MessageRouter {

  private static final Logger log = LoggerFactory.getLogger(MessageRouter.class);

  /** The error a caller gets when its function's result could not be read. */
  public static final String INVALID_RESULT = "invalid_result";

  /** The error a worker gets for a call the engine could not read. */
  public static final String INVALID_MESSAGE = "invalid_message";

  /** The error code sent to a worker whose trigger an engine module refused. */
  public static final String TRIGGER_REGISTRATION_FAILED = "trigger_registration_failed";

  private final WorkerRegistry workers;
  private final FunctionRegistry functions;
  private final TriggerRegistry triggers;
  private final ServiceRegistry services;
  private final InvocationRouter invocations;
  private volatile BiConsumer<Worker, RegisterFunction> externalFunctionRegistrar =
      (worker, registration) ->
          log.error(
              "HTTP functions module not loaded: cannot register {} from {}",
              registration.id(),
              worker);
  private final List<Consumer<Worker>> disconnectListeners = new CopyOnWriteArrayList<>();

  public MessageRouter(
      WorkerRegistry workers,
      FunctionRegistry functions,
      TriggerRegistry triggers,
      ServiceRegistry services,
      InvocationRouter invocations) {
    this.workers = workers;
    this.functions = functions;
    this.triggers = triggers;
    this.services = services;
    this.invocations = invocations;
  }

  /** A worker connected: greet it first, then announce it. */
  public void connected(Worker worker) {
    workers.add(worker);
    worker.send(new WorkerRegistered(worker.id(), worker.reattachToken()));
    fireWorkerEvent("worker_connected", worker);
    log.debug("{} connected from {}", worker, worker.ipAddress());
  }

  /** A worker's connection ended: undo everything it owned, end its invocations. */
  public void disconnected(Worker worker) {
    for (String id : List.copyOf(worker.functionIds())) {
      functions.removeIfOwnedBy(id, worker);
    }
    invocations.haltWorker(worker);
    worker.dropTriggerAcks();
    triggers.removeWorker(worker.id());
    workers.remove(worker);
    disconnectListeners.forEach(listener -> listener.accept(worker));
    fireWorkerEvent("worker_disconnected", worker);
    log.debug("{} disconnected", worker);
  }

  /**
   * Sets what handles {@code registerfunction} with an {@code invocation} (functions the engine
   * invokes over HTTP). Without one, such registrations are refused with an error log, as in the
   * official engine without its HTTP functions module.
   */
  public void externalFunctions(BiConsumer<Worker, RegisterFunction> registrar) {
    this.externalFunctionRegistrar = registrar;
  }

  /** Lets a module forget what it kept about a worker once the worker is gone. */
  public void onDisconnect(Consumer<Worker> listener) {
    disconnectListeners.add(listener);
  }

  /**
   * Handles one decoded message from a worker.
   *
   * @return {@code null}, or a stage the connection must wait for before it handles its next
   *     message (a {@code reattach}: the previous connection's clean-up)
   */
  public @Nullable CompletionStage<?> route(Worker worker, Message message) {
    if (message instanceof InvokeFunction invoke) {
      onInvoke(worker, invoke);
    } else if (message instanceof InvocationResult result) {
      invocations.onResult(result);
    } else if (message instanceof RegisterFunction register) {
      onRegisterFunction(worker, register);
    } else if (message instanceof UnregisterFunction unregister) {
      worker.functionIds().remove(unregister.id());
      functions.remove(unregister.id());
    } else if (message instanceof RegisterTrigger register) {
      onRegisterTrigger(worker, register);
    } else if (message instanceof UnregisterTrigger unregister) {
      if (triggers.unregister(unregister.id()).isEmpty()) {
        log.debug("unregistertrigger for unknown trigger {}", unregister.id());
      }
    } else if (message instanceof RegisterTriggerType register) {
      triggers.registerType(
          new TriggerType(
              register.id(),
              register.description(),
              new WorkerTriggerProvider(worker),
              worker.id(),
              null,
              register.triggerRequestFormat(),
              register.callRequestFormat(),
              null));
    } else if (message instanceof UnregisterTriggerType unregister) {
      triggers.unregisterType(unregister.id(), worker.id());
    } else if (message instanceof RegisterService register) {
      String name = register.name() == null ? register.id() : register.name();
      services.register(
          new ServiceRegistry.Service(
              register.id(), name, register.description(), register.parentServiceId()));
    } else if (message instanceof TriggerRegistrationResult result) {
      onTriggerRegistrationResult(worker, result);
    } else if (message instanceof Reattach reattach) {
      return onReattach(worker, reattach);
    } else if (message instanceof Ping) {
      worker.send(new Pong());
    } else {
      log.debug("Ignoring {} from {}", message.type(), worker);
    }
    return null;
  }

  /**
   * A worker's message that could not be decoded, as far as its top-level fields could be read: an
   * {@code invocationresult} ends its pending invocation at once ({@value #INVALID_RESULT}), an
   * {@code invokefunction} is answered with {@value #INVALID_MESSAGE}, so that no caller waits for
   * its own timeout.
   *
   * @param problem what the decoder reported, for the error message
   * @return whether an invocation was ended or answered
   */
  public boolean undecodable(
      Worker worker,
      String type,
      String invocationId,
      @Nullable String functionId,
      String problem) {
    if ("invocationresult".equals(type)) {
      return invocations.fail(
          invocationId,
          function ->
              new InvocationError(
                  INVALID_RESULT, "The result of " + function + " could not be read: " + problem));
    }
    if ("invokefunction".equals(type)) {
      worker.send(
          InvocationResult.failure(
              invocationId,
              functionId == null ? "" : functionId,
              new ErrorBody(INVALID_MESSAGE, "The call could not be read: " + problem)));
      return true;
    }
    return false;
  }

  /**
   * Retires the worker's previous connection when the token proves it is the same worker: its
   * functions, triggers, trigger types and invocations go exactly as on a disconnect, before this
   * connection's replay is handled. A wrong or missing token changes nothing.
   */
  private @Nullable CompletionStage<?> onReattach(Worker worker, Reattach reattach) {
    String previousId = reattach.previousWorkerId();
    try {
      UUID.fromString(previousId);
    } catch (IllegalArgumentException e) {
      log.warn(
          "{}: reattach with malformed previous worker id {}; ignoring",
          worker,
          abbreviate(previousId));
      return null;
    }
    if (previousId.equals(worker.id())) {
      return null;
    }
    Worker previous = workers.get(previousId).orElse(null);
    if (previous == null) {
      log.debug("{}: reattach to {}, which is already gone", worker, previousId);
      return null;
    }
    // Worker ids are public (engine::workers::list, workers-available): only the token, sent on
    // the previous connection's own socket, may retire it.
    if (!previous.acceptsReattachToken(reattach.reattachToken())) {
      log.warn("{}: reattach to {} with a wrong or missing token; ignoring", worker, previousId);
      return null;
    }
    log.info("{}: reattach, retiring its previous connection {}", worker, previousId);
    return previous.retire();
  }

  /**
   * A provider's answer to a forwarded trigger: it completes a confirmed registration that waits
   * for it, or (only from the type's current provider) moves a refused trigger back to pending and
   * tells the worker that registered it.
   */
  private void onTriggerRegistrationResult(Worker worker, TriggerRegistrationResult result) {
    ErrorBody error = result.error();
    if (worker.acknowledgeTrigger(result.id(), error)) {
      return;
    }
    Trigger trigger = triggers.trigger(result.id()).orElse(null);
    if (trigger == null) {
      log.debug("triggerregistrationresult for unknown trigger {}; ignoring", result.id());
      return;
    }
    TriggerType type = triggers.type(trigger.triggerType());
    if (type == null || !worker.id().equals(type.ownerWorkerId())) {
      log.warn(
          "{}: triggerregistrationresult for trigger {} of type {}, which it does not provide;"
              + " ignoring",
          worker,
          trigger.id(),
          trigger.triggerType());
      return;
    }
    if (error == null || !triggers.park(trigger)) {
      return;
    }
    log.warn(
        "Provider of trigger type {} refused trigger {} for {}: {}; it waits for the type's next"
            + " provider",
        trigger.triggerType(),
        trigger.id(),
        trigger.functionId(),
        error.message());
    String originatorId = trigger.ownerWorkerId();
    Worker originator = originatorId == null ? null : workers.get(originatorId).orElse(null);
    if (originator != null) {
      originator.send(
          new TriggerRegistrationResult(
              trigger.id(), trigger.triggerType(), trigger.functionId(), error));
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 64 ? text.substring(0, 64) + "…" : text;
  }

  private void onInvoke(Worker caller, InvokeFunction invoke) {
    InvocationAction action = invoke.action();
    boolean reply = invoke.expectsResult();
    String invocationId =
        invoke.invocationId() != null ? invoke.invocationId() : InvocationIds.random();
    if (action != null && "enqueue".equals(action.type())) {
      EnqueueAction.route(invocations, caller, invoke, invocationId, reply);
      return;
    }
    RawJson data = invoke.data();
    if (data.isObject()) {
      data = CallerIds.inject(data, caller);
    }
    invocations.forward(
        invocationId,
        invoke.functionId(),
        data,
        invoke.metadata(),
        invoke.traceparent(),
        invoke.baggage(),
        caller,
        reply);
  }

  private void onRegisterFunction(Worker worker, RegisterFunction register) {
    services.registerFromFunctionId(register.id());
    JsonNode invocation = register.invocation();
    if (invocation != null && !invocation.isNull()) {
      externalFunctionRegistrar.accept(worker, register);
      return;
    }
    RegisteredFunction function =
        new RegisteredFunction(
            register.id(),
            register.description(),
            register.requestFormat(),
            register.responseFormat(),
            register.metadata(),
            worker,
            null);
    if (functions.register(function)) {
      worker.functionIds().add(register.id());
    }
  }

  private void onRegisterTrigger(Worker worker, RegisterTrigger register) {
    Trigger trigger =
        new Trigger(
            register.id(),
            register.triggerType(),
            register.functionId(),
            register.config(),
            worker.id(),
            register.metadata());
    try {
      triggers.register(trigger);
    } catch (InvalidTriggerException e) {
      log.error(
          "Trigger {} of type {} for {} refused: {}",
          register.id(),
          register.triggerType(),
          register.functionId(),
          e.getMessage());
      // As the official engine (0.22+) does: the registrant is told; the trigger is not stored.
      worker.send(
          new TriggerRegistrationResult(
              register.id(),
              register.triggerType(),
              register.functionId(),
              new ErrorBody(TRIGGER_REGISTRATION_FAILED, e.getMessage())));
    }
  }

  private void fireWorkerEvent(String event, Worker worker) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("event", event);
    payload.put("worker_id", worker.id());
    invocations.fireTriggers(EngineFunctions.WORKERS_AVAILABLE, payload);
  }

  /** Public so the worker module can announce metadata updates. */
  public void workerMetadataUpdated(Worker worker) {
    fireWorkerEvent("worker_metadata_updated", worker);
  }
}
