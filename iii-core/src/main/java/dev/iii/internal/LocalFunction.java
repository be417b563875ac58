package dev.iii.internal;

import dev.iii.protocol.RawJson;
import org.jspecify.annotations.Nullable;

/** A function of this worker as the dispatcher runs it: its input as the raw payload. */
@FunctionalInterface
public interface LocalFunction {

  /**
   * Runs the function.
   *
   * @return the result: a value, {@code null}, a {@code CompletionStage} or a Reactor {@code Mono}
   */
  @Nullable Object handle(RawJson input) throws Exception;
}
