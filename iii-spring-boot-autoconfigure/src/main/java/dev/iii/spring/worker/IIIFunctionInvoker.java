package dev.iii.spring.worker;

import dev.iii.ApiResponse;
import dev.iii.Context;
import dev.iii.FunctionHandler;
import dev.iii.IIIClient;
import dev.iii.IIIException;
import dev.iii.channel.ChannelWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.util.ReflectionUtils;
import reactor.core.publisher.Mono;

/**
 * Runs one {@link IIIFunctionEndpoint} for the client: binds the arguments, calls the bean method
 * through its proxy, adapts the result and maps failures to invocation errors. The client's thread
 * only admits the invocation into the function's own {@link FunctionLane} (bounded concurrency and
 * queue) and gets a future back; the method runs on the lane's thread, with the invocation's {@code
 * Context} and MDC, so it may block. Admitted invocations, running, queued or with asynchronous
 * results not yet complete, are tracked until answered, so shutdown waits for all of them; only
 * those arriving after shutdown began, or beyond the function's queue, are refused ({@code
 * unavailable}) and logged.
 *
 * <p>Concurrency: thread-safe and stateless per invocation; the lane and the tracker hold the
 * shared state.
 *
 * <p>For a function with an HTTP trigger invoked by an HTTP request, every outcome becomes an
 * {@link ApiResponse}, so HTTP callers get a status rather than the engine's generic 500: a value
 * is 200, {@code null} is 204 (unless the method streamed the response itself: it takes the
 * response {@code ChannelWriter}, or used it, e.g. through {@code ApiRequest.stream()}), and errors
 * take their status and body from {@link IIIErrorResponses}: a status from a {@code
 * ResponseStatusException}, {@code @ResponseStatus} or an {@code IIIException} code, and a body
 * that shows no exception message unless configured to. Every failure first goes through the
 * application's {@link IIIErrorHandler}, if it has one.
 */
public final class IIIFunctionInvoker implements FunctionHandler {

  /** The error code of an input that does not bind to the method's parameters. */
  public static final String INVALID_ARGUMENT = "invalid_argument";

  /** The error code of an invocation that arrives while the worker is shutting down. */
  public static final String UNAVAILABLE = "unavailable";

  private static final Logger log = LoggerFactory.getLogger(IIIFunctionInvoker.class);

  private final IIIFunctionEndpoint endpoint;
  private final IIIClient client;
  private final InFlightTracker tracker;
  private final IIIInvocationObserver observer;
  private final FunctionLane lane;

  IIIFunctionInvoker(
      IIIFunctionEndpoint endpoint,
      IIIClient client,
      InFlightTracker tracker,
      IIIInvocationObserver observer,
      FunctionLane lane) {
    this.endpoint = endpoint;
    this.client = client;
    this.tracker = tracker;
    this.observer = observer;
    this.lane = lane;
    // Bean classes are often package-private; make the method callable once, not per invocation.
    ReflectionUtils.makeAccessible(endpoint.invocableMethod());
  }

  /** The endpoint this invoker runs. */
  public IIIFunctionEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Admits the invocation into the function's own lane and returns its result as a future at once,
   * so the client's thread is free for the next invocation. Refused, answered {@code unavailable},
   * when the worker is shutting down or the function's queue is full; each refusal is logged.
   */
  @Override
  public @Nullable Object handle(@Nullable Object input) {
    Map<?, ?> httpRequest = httpRequest(input);
    if (!tracker.tryEnter()) {
      lane.refusedShuttingDown();
      return refuse(
          httpRequest,
          new IIIException(UNAVAILABLE, "function " + endpoint.id() + " is shutting down"));
    }
    Outcome outcome = new Outcome();
    Context context = Context.current();
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    if (!lane.submit(() -> runInLane(input, httpRequest, outcome, context, mdc))) {
      tracker.exit();
      return refuse(
          httpRequest,
          new IIIException(
              UNAVAILABLE,
              "function "
                  + endpoint.id()
                  + " is overloaded: "
                  + lane.concurrency()
                  + " invocations running and "
                  + lane.queueCapacity()
                  + " waiting; it was not run"));
    }
    return outcome;
  }

  private @Nullable Object refuse(@Nullable Map<?, ?> httpRequest, IIIException refusal) {
    if (httpRequest != null) {
      return httpError(refusal);
    }
    throw refusal;
  }

  /** Runs on the lane's thread, with the invocation's context and MDC of the receiving thread. */
  private void runInLane(
      @Nullable Object input,
      @Nullable Map<?, ?> httpRequest,
      Outcome outcome,
      Context context,
      @Nullable Map<String, String> mdc) {
    Map<String, String> previous = MDC.getCopyOfContextMap();
    if (mdc != null) {
      MDC.setContextMap(mdc);
    }
    try {
      Context.with(
          context,
          () -> {
            run(input, httpRequest, outcome);
            return null;
          });
    } catch (Exception e) { // run() answers every failure itself
      finish(outcome, null, httpRequest, null, e);
    } finally {
      if (previous == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(previous);
      }
    }
  }

  private void run(@Nullable Object input, @Nullable Map<?, ?> httpRequest, Outcome outcome) {
    IIIInvocationObserver.@Nullable Completion completion = observeStart();
    try {
      Object result;
      IIIInvocationObserver.Scope scope = openScope(completion);
      try {
        result = invoke(new InvocationInput(input, httpRequest, client));
      } finally {
        closeScope(scope);
      }
      CompletionStage<?> stage = asStage(result);
      if (stage == null) {
        finish(outcome, completion, httpRequest, result, null);
      } else {
        stage.whenComplete(
            (value, error) -> finish(outcome, completion, httpRequest, value, error));
      }
    } catch (Throwable error) {
      finish(outcome, completion, httpRequest, null, error);
    }
  }

  private void finish(
      Outcome outcome,
      IIIInvocationObserver.@Nullable Completion completion,
      @Nullable Map<?, ?> httpRequest,
      @Nullable Object value,
      @Nullable Throwable failure) {
    boolean http = httpRequest != null;
    observeEnd(completion, failure);
    Throwable error =
        failure == null ? null : endpoint.errorResponses().handle(endpoint, unwrap(failure));
    if (error == null) {
      outcome.complete(success(httpRequest, value));
    } else if (http) {
      outcome.complete(httpError(error));
    } else {
      outcome.completeExceptionally(toIIIException(error));
    }
  }

  private IIIInvocationObserver.@Nullable Completion observeStart() {
    try {
      return observer.started(endpoint);
    } catch (RuntimeException e) {
      log.warn("Observer of {} failed; the invocation goes on", endpoint.id(), e);
      return null;
    }
  }

  private IIIInvocationObserver.Scope openScope(
      IIIInvocationObserver.@Nullable Completion completion) {
    if (completion == null) {
      return IIIInvocationObserver.Scope.NONE;
    }
    try {
      return completion.openScope();
    } catch (RuntimeException e) {
      log.warn("Observer of {} failed; the invocation goes on", endpoint.id(), e);
      return IIIInvocationObserver.Scope.NONE;
    }
  }

  private void closeScope(IIIInvocationObserver.Scope scope) {
    try {
      scope.close();
    } catch (RuntimeException e) {
      log.warn("Observer of {} failed; the invocation goes on", endpoint.id(), e);
    }
  }

  private void observeEnd(
      IIIInvocationObserver.@Nullable Completion completion, @Nullable Throwable error) {
    if (completion == null) {
      return;
    }
    String outcome =
        error == null
            ? IIIInvocationObserver.OUTCOME_SUCCESS
            : unwrap(error) instanceof IIIException iii && INVALID_ARGUMENT.equals(iii.code())
                ? IIIInvocationObserver.OUTCOME_CLIENT_ERROR
                : IIIInvocationObserver.OUTCOME_SERVER_ERROR;
    try {
      completion.completed(outcome, error == null ? null : unwrap(error));
    } catch (RuntimeException e) {
      log.warn("Observer of {} failed; the invocation goes on", endpoint.id(), e);
    }
  }

  private @Nullable Object invoke(InvocationInput input) throws Throwable {
    List<ArgumentResolver> resolvers = endpoint.argumentResolvers();
    Object[] args = new Object[resolvers.size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = resolvers.get(i).resolve(input);
    }
    try {
      return endpoint.invocableMethod().invoke(endpoint.bean(), args);
    } catch (InvocationTargetException e) {
      throw e.getTargetException();
    }
  }

  /** The request map when this invocation comes from one of the function's HTTP triggers. */
  private @Nullable Map<?, ?> httpRequest(@Nullable Object input) {
    if (!endpoint.hasHttpTrigger() || !(input instanceof Map<?, ?> map)) {
      return null;
    }
    if (map.get("trigger") instanceof Map<?, ?> trigger) {
      return "http".equals(trigger.get("type")) ? map : null;
    }
    // Engines that do not describe the trigger still send the request's shape.
    return map.containsKey("path_params") && map.containsKey("headers") && map.containsKey("method")
        ? map
        : null;
  }

  private static @Nullable CompletionStage<?> asStage(@Nullable Object result) {
    if (result instanceof CompletionStage<?> stage) {
      return stage;
    }
    if (result instanceof Mono<?> mono) {
      return mono.toFuture();
    }
    return null;
  }

  private static @Nullable Object unwrapOptional(@Nullable Object value) {
    return value instanceof Optional<?> optional ? optional.orElse(null) : value;
  }

  private @Nullable Object success(@Nullable Map<?, ?> httpRequest, @Nullable Object result) {
    Object value = unwrapOptional(result);
    if (httpRequest == null || value instanceof ApiResponse) {
      return value;
    }
    if (value == null) {
      // No result: a streamed response (the method used the response channel, e.g. through
      // ApiRequest.stream()) or an empty one.
      boolean streamed =
          endpoint.streamsResponse()
              || (httpRequest.get("response") instanceof ChannelWriter writer && writer.isOpened());
      return streamed ? null : new ApiResponse(204, null);
    }
    return new ApiResponse(200, value);
  }

  /**
   * The error as an HTTP response, so HTTP callers get a status and a JSON body; see {@link
   * IIIErrorResponses} for the status and what the body may say.
   */
  private ApiResponse httpError(Throwable error) {
    return endpoint.errorResponses().httpResponse(endpoint, unwrap(error));
  }

  private IIIException toIIIException(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof IIIException iii) {
      log.debug("Function {} failed: {}", endpoint.id(), iii.getMessage());
      return iii;
    }
    log.warn("Function {} ({}) failed", endpoint.id(), endpoint.source(), cause);
    String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    return new IIIException(IIIException.INVOCATION_FAILED, message, endpoint.id(), null, cause);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException
            || current instanceof ExecutionException
            || current instanceof InvocationTargetException
            || current instanceof UndeclaredThrowableException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /**
   * The invocation's result as the client receives it. The invocation is counted out only after the
   * client's completion action, which sends the result, has run: counting out earlier would let
   * shutdown close the connection between the two and lose the result. The client registers exactly
   * one {@code whenComplete} action on a returned stage; were none registered, shutdown would wait
   * for this invocation until its timeout.
   */
  private final class Outcome extends CompletableFuture<@Nullable Object> {

    private final AtomicBoolean counted = new AtomicBoolean(true);

    @Override
    public CompletableFuture<@Nullable Object> whenComplete(
        BiConsumer<? super @Nullable Object, ? super @Nullable Throwable> action) {
      return super.whenComplete(
          (value, error) -> {
            try {
              action.accept(value, error);
            } finally {
              if (counted.compareAndSet(true, false)) {
                tracker.exit();
              }
            }
          });
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      // Dependent stages are plain futures: only the client's action is tracked.
      return new CompletableFuture<>();
    }
  }
}
