package dev.iii.engine.registry;

import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A function implemented inside the engine (the {@code engine::*} built-ins and module functions).
 * It must not block: it runs on the thread that routed the call.
 */
@FunctionalInterface
public interface EngineFunction {

  /**
   * Runs the function. Fail the stage with an {@link InvocationError} to answer with a specific
   * error code.
   *
   * @param input the call's data ({@code NullNode} when the caller sent {@code null})
   * @return the result; a {@code null} value means "no result"
   */
  CompletionStage<@Nullable JsonNode> invoke(JsonNode input);
}
