package dev.iii.engine.modules.http;

import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.support.RateLimitedLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls HTTP middleware functions one after another, as the official engine does before a handler:
 * each gets {@code {phase:"preHandler", request:{…}, context:{}}} and answers {@code
 * {"action":"continue"}} to let the request proceed or {@code {"action":"respond","response":{…}}}
 * to answer it. Anything else (another action, no result) counts as continue; a failed call gives a
 * 500 with the function's error, and a call that takes longer than the timeout a 504 {@code
 * MIDDLEWARE_TIMEOUT}. That limit is the request's own, whose timer started earlier, so a hanging
 * middleware usually meets the request's plain 504 first, in the official engine too. Immutable;
 * the calls' completions run on whichever thread completes them and only start the next call, so
 * nothing here blocks.
 */
final class HttpMiddleware {

  /** The only phase the official engine runs. */
  static final String PRE_HANDLER = RestApiConfig.MiddlewareConfig.PRE_HANDLER;

  private static final Logger log = LoggerFactory.getLogger(HttpMiddleware.class);

  /** Every request runs the middleware: its misbehaviour is written once per interval. */
  private static final RateLimitedLog warnings = new RateLimitedLog(log, Duration.ofSeconds(10));

  private final InvocationRouter invocations;
  private final Duration timeout;

  HttpMiddleware(InvocationRouter invocations, Duration timeout) {
    this.invocations = invocations;
    this.timeout = timeout;
  }

  /** The input every middleware function gets; keys sorted, as the official engine writes them. */
  static ObjectNode input(ObjectNode request) {
    ObjectNode input = request.objectNode();
    input.putObject("context");
    input.put("phase", PRE_HANDLER);
    input.set("request", request);
    return input;
  }

  /**
   * Runs the functions in order until one answers the request.
   *
   * @param input from {@link #input}
   * @param decided whether the request was answered meanwhile (e.g. timed out): the chain stops
   * @return {@code null} when every function let the request continue, or the response
   */
  CompletableFuture<@Nullable HttpOutcome> run(
      HttpRoute route, List<String> functionIds, ObjectNode input, BooleanSupplier decided) {
    return step(route, functionIds, 0, input, decided);
  }

  private CompletableFuture<@Nullable HttpOutcome> step(
      HttpRoute route,
      List<String> functionIds,
      int index,
      ObjectNode input,
      BooleanSupplier decided) {
    if (index == functionIds.size() || decided.getAsBoolean()) {
      return CompletableFuture.completedFuture(null);
    }
    String functionId = functionIds.get(index);
    return invocations
        .call(functionId, input)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((result, failure) -> outcome(route, functionId, result, failure))
        .thenCompose(
            outcome ->
                outcome != null
                    ? CompletableFuture.completedFuture(outcome)
                    : step(route, functionIds, index + 1, input, decided));
  }

  private static @Nullable HttpOutcome outcome(
      HttpRoute route, String functionId, @Nullable JsonNode result, @Nullable Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      if (cause instanceof TimeoutException) {
        log.error(
            "HTTP {} {}: middleware {} timed out", route.method(), route.apiPath(), functionId);
        return HttpErrors.middlewareTimeout();
      }
      return HttpErrors.failed(route, "middleware " + functionId, failure);
    }
    if (result == null || result.isNull()) {
      warnings.warn(
          "middleware without result", "Middleware {} returned no result; continuing", functionId);
      return null;
    }
    String action = result.path("action").isString() ? result.path("action").asString() : null;
    if ("respond".equals(action)) {
      return HttpResultMapper.respond(result.path("response"));
    }
    if (!"continue".equals(action)) {
      warnings.warn(
          "middleware invalid action",
          "Middleware {} returned invalid action {}; treating as continue",
          functionId,
          String.valueOf(action));
    }
    return null;
  }
}
