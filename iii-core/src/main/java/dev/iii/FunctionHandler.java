package dev.iii;

import org.jspecify.annotations.Nullable;

/**
 * The body of a function this worker provides. It runs on the client's handler executor, never on a
 * network thread, so it may block.
 *
 * <p>The input is the call's JSON data as plain Java values: {@code Map<String, Object>}, {@code
 * List<Object>}, {@code String}, {@code Number}, {@code Boolean} or {@code null}. Calls routed by
 * the engine from another worker carry that worker's id in the {@code _caller_worker_id} entry.
 *
 * <p>Return any value Jackson can write (or {@code null} for no result). A {@link
 * java.util.concurrent.CompletionStage} or a Reactor {@code Mono} is awaited without holding a
 * thread. A thrown exception becomes an {@code invocation_failed} error carrying its message; throw
 * an {@link IIIException} to choose the code.
 */
@FunctionalInterface
public interface FunctionHandler {

  @Nullable Object handle(@Nullable Object input) throws Exception;
}
