package dev.iii.engine.modules.worker;

import static dev.iii.protocol.EngineFunctions.REGISTERED_TRIGGERS_INFO;
import static dev.iii.protocol.EngineFunctions.REGISTERED_TRIGGERS_LIST;
import static dev.iii.protocol.EngineFunctions.REGISTER_TRIGGER;
import static dev.iii.protocol.EngineFunctions.TRIGGERS_INFO;
import static dev.iii.protocol.EngineFunctions.TRIGGERS_LIST;
import static dev.iii.protocol.EngineFunctions.UNREGISTER_TRIGGER;

import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.Trigger;
import dev.iii.protocol.EngineFunctions;
import dev.iii.protocol.RegisteredTriggerInfo;
import dev.iii.protocol.TriggerTypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The trigger built-ins of the official v0.22 engine: trigger types ({@code engine::triggers::*}),
 * registered triggers ({@code engine::registered-triggers::*}), and binding a function to a trigger
 * on behalf of no worker ({@code engine::register_trigger} / {@code engine::unregister_trigger}).
 * Stateless.
 */
final class TriggerBuiltins {

  private final ModuleContext context;
  private final Listings listings;

  TriggerBuiltins(ModuleContext context, Listings listings) {
    this.context = context;
    this.listings = listings;
  }

  void register() {
    context.registerFunction(
        TRIGGERS_LIST, "List trigger types registered with the engine.", this::listTypes);
    context.registerFunction(
        TRIGGERS_INFO,
        "Inspect one trigger type: schemas, owner, and live instance count.",
        this::typeInfo);
    context.registerFunction(
        REGISTERED_TRIGGERS_LIST,
        "List registered trigger instances (subscriber rows).",
        this::listTriggers);
    context.registerFunction(
        REGISTERED_TRIGGERS_INFO,
        "Inspect one registered trigger instance with denormalized trigger and function detail.",
        this::triggerInfo);
    context.registerFunction(
        REGISTER_TRIGGER,
        "Register a trigger that fires `function_id` directly, with `metadata` delivered to the"
            + " handler as a distinct argument (not folded into the payload). Returns the trigger"
            + " id (pass it to engine::unregister_trigger).",
        this::registerTrigger);
    context.registerFunction(
        UNREGISTER_TRIGGER,
        "Unregister a trigger by id. Idempotent; reports whether it existed.",
        this::unregisterTrigger);
  }

  /** Trigger types; {@code engine::*} hidden unless {@code include_internal}; sorted by id. */
  private CompletableFuture<@Nullable JsonNode> listTypes(JsonNode data) {
    Input input = Input.of(TRIGGERS_LIST, data);
    boolean includeInternal = input.flag("include_internal");
    String prefix = input.string("prefix");
    String worker = input.string("worker");
    String search = input.string("search");
    List<TriggerTypeInfo> rows = new ArrayList<>();
    for (TriggerTypeInfo row : listings.triggerTypeRows()) {
      if ((includeInternal || !row.id().startsWith(EngineFunctions.PREFIX))
          && (prefix == null || row.id().startsWith(prefix))
          && (worker == null || worker.equals(row.workerName()))
          && (search == null
              || search.isEmpty()
              || Input.matches(search, row.id(), row.description()))) {
        rows.add(row);
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("triggers", Listings.tree(rows));
    return CompletableFuture.completedFuture(out);
  }

  private CompletableFuture<@Nullable JsonNode> typeInfo(JsonNode data) {
    String id = Input.of(TRIGGERS_INFO, data).requiredString("id");
    TriggerTypeInfo detail = listings.triggerTypeDetail(id);
    if (detail == null) {
      throw new InvocationError("NOT_FOUND", "Trigger type '" + id + "' is not registered.");
    }
    return CompletableFuture.completedFuture(Listings.tree(detail));
  }

  /**
   * Live triggers; those calling {@code engine::*} hidden unless {@code include_internal}; filtered
   * by {@code trigger_type}, {@code function_id}, {@code worker}, {@code search}; sorted by id.
   */
  private CompletableFuture<@Nullable JsonNode> listTriggers(JsonNode data) {
    Input input = Input.of(REGISTERED_TRIGGERS_LIST, data);
    boolean includeInternal = input.flag("include_internal");
    String type = input.string("trigger_type");
    String function = input.string("function_id");
    String worker = input.string("worker");
    String search = input.string("search");
    List<RegisteredTriggerInfo> rows = new ArrayList<>();
    for (RegisteredTriggerInfo row : listings.registeredTriggerRows()) {
      if ((includeInternal || !row.functionId().startsWith(EngineFunctions.PREFIX))
          && (type == null || type.equals(row.triggerType()))
          && (function == null || function.equals(row.functionId()))
          && (worker == null || worker.equals(row.workerName()))
          && (search == null
              || search.isEmpty()
              || Input.matches(search, row.id(), row.triggerType(), row.functionId()))) {
        rows.add(row);
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("registered_triggers", Listings.tree(rows));
    return CompletableFuture.completedFuture(out);
  }

  private CompletableFuture<@Nullable JsonNode> triggerInfo(JsonNode data) {
    String id = Input.of(REGISTERED_TRIGGERS_INFO, data).requiredString("id");
    ObjectNode detail = listings.registeredTriggerDetail(id);
    if (detail == null) {
      throw new InvocationError("NOT_FOUND", "Registered trigger '" + id + "' was not found.");
    }
    return CompletableFuture.completedFuture(detail);
  }

  /**
   * Binds {@code function_id} to a trigger of {@code trigger_type} that no worker owns: it stays
   * until {@code engine::unregister_trigger}, whoever called. A provider worker's answer is awaited
   * (at most 10 s); a refusal fails the call with {@code trigger_registration_failed}. Without a
   * provider the trigger waits for one and the call succeeds.
   */
  private CompletableFuture<@Nullable JsonNode> registerTrigger(JsonNode data) {
    Input input = Input.of(REGISTER_TRIGGER, data);
    String type = input.requiredString("trigger_type");
    String function = input.requiredString("function_id");
    JsonNode config = input.any("config");
    String id = UUID.randomUUID().toString();
    Trigger trigger =
        new Trigger(
            id,
            type,
            function,
            config == null ? NullNode.getInstance() : config,
            null,
            input.any("metadata"));
    return context
        .triggers()
        .registerConfirmed(trigger)
        .handle(
            (outcome, error) -> {
              if (error != null) {
                Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
                throw new InvocationError(
                    "trigger_registration_failed", String.valueOf(cause.getMessage()));
              }
              ObjectNode out = JsonNodeFactory.instance.objectNode();
              out.put("id", id);
              return out;
            });
  }

  private CompletableFuture<@Nullable JsonNode> unregisterTrigger(JsonNode data) {
    Input input = Input.of(UNREGISTER_TRIGGER, data);
    String id = input.requiredString("id");
    input.string("trigger_type"); // accepted for symmetry with the protocol message, not needed
    boolean removed = context.triggers().unregister(id).isPresent();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("removed", removed);
    return CompletableFuture.completedFuture(out);
  }
}
