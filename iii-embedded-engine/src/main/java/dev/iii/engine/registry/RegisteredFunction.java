package dev.iii.engine.registry;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A function the engine can route to. With an {@code engineFunction} it runs in the engine (the
 * built-ins, and HTTP-invoked functions a worker registered); otherwise invocations are forwarded
 * to the {@code owner}'s connection.
 *
 * @param owner the worker that registered it, or {@code null} for an engine built-in
 * @param engineFunction the in-process implementation, or {@code null} to forward to the owner
 * @param moduleName the engine module that registered a built-in (its in-process worker name, e.g.
 *     {@code iii-engine-functions}), or {@code null}
 */
public record RegisteredFunction(
    String id,
    @Nullable String description,
    @Nullable JsonNode requestFormat,
    @Nullable JsonNode responseFormat,
    @Nullable JsonNode metadata,
    @Nullable Worker owner,
    @Nullable EngineFunction engineFunction,
    @Nullable String moduleName) {

  public RegisteredFunction {
    if (owner == null && engineFunction == null) {
      throw new IllegalArgumentException("a function needs an owner worker or an engine body");
    }
  }

  /** A function without a module name (a worker's, or a built-in nobody claims). */
  public RegisteredFunction(
      String id,
      @Nullable String description,
      @Nullable JsonNode requestFormat,
      @Nullable JsonNode responseFormat,
      @Nullable JsonNode metadata,
      @Nullable Worker owner,
      @Nullable EngineFunction engineFunction) {
    this(id, description, requestFormat, responseFormat, metadata, owner, engineFunction, null);
  }

  /** An engine built-in. */
  public static RegisteredFunction builtin(String id, String description, EngineFunction body) {
    return new RegisteredFunction(id, description, null, null, null, null, body, null);
  }

  /** An engine built-in registered by the named module. */
  public static RegisteredFunction builtin(
      String moduleName,
      String id,
      String description,
      @Nullable JsonNode metadata,
      EngineFunction body) {
    return new RegisteredFunction(id, description, null, null, metadata, null, body, moduleName);
  }

  /** Whether this is an engine built-in, which workers can neither replace nor remove. */
  public boolean isBuiltin() {
    return owner == null;
  }
}
