package dev.iii.engine.registry;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A function the engine can route to: either a worker's (invocations are forwarded to its
 * connection) or the engine's own.
 *
 * @param owner the worker that handles it, or {@code null} for an engine function
 * @param engineFunction the in-process implementation when {@code owner} is {@code null}
 */
public record RegisteredFunction(
    String id,
    @Nullable String description,
    @Nullable JsonNode requestFormat,
    @Nullable JsonNode responseFormat,
    @Nullable JsonNode metadata,
    @Nullable Worker owner,
    @Nullable EngineFunction engineFunction) {

  public RegisteredFunction {
    if ((owner == null) == (engineFunction == null)) {
      throw new IllegalArgumentException("a function has either an owner worker or an engine body");
    }
  }

  /** An engine built-in. */
  public static RegisteredFunction builtin(String id, String description, EngineFunction body) {
    return new RegisteredFunction(id, description, null, null, null, null, body);
  }

  public boolean isEngineFunction() {
    return engineFunction != null;
  }
}
