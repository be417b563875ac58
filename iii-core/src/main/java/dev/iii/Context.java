package dev.iii;

import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The execution context of a function invocation (the reference SDK's {@code get_context()} and
 * {@code with_context}). Inside a handler, {@link #current()} returns the invocation's context;
 * elsewhere it returns a context without a function.
 *
 * @param functionId the function being run, or {@code null} outside one
 * @param invocationId the invocation id, when known
 * @param logger logs with the function and invocation ids attached
 * @param traceparent the W3C {@code traceparent} the caller sent with the invocation, if any
 * @param baggage the W3C {@code baggage} the caller sent with the invocation, if any
 * @param metadata the per-invocation metadata the caller or trigger sent next to the input (engine
 *     0.22+; JSON as plain Java values, usually a {@code Map}), if any: the official SDKs' handler
 *     argument {@code metadata}
 */
public record Context(
    @Nullable String functionId,
    @Nullable String invocationId,
    ContextLogger logger,
    @Nullable String traceparent,
    @Nullable String baggage,
    @Nullable Object metadata) {

  private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();
  private static final Context NONE = new Context(null, null, new ContextLogger(null, null));

  /** Requires the logger. */
  public Context {
    Objects.requireNonNull(logger, "logger");
  }

  /** A context without metadata. */
  public Context(
      @Nullable String functionId,
      @Nullable String invocationId,
      ContextLogger logger,
      @Nullable String traceparent,
      @Nullable String baggage) {
    this(functionId, invocationId, logger, traceparent, baggage, null);
  }

  /** A context without trace context or metadata. */
  public Context(@Nullable String functionId, @Nullable String invocationId, ContextLogger logger) {
    this(functionId, invocationId, logger, null, null, null);
  }

  /** A context for the given function, with its own logger. */
  public static Context of(@Nullable String functionId, @Nullable String invocationId) {
    return of(functionId, invocationId, null, null);
  }

  /** A context for the given function with the caller's trace context, with its own logger. */
  public static Context of(
      @Nullable String functionId,
      @Nullable String invocationId,
      @Nullable String traceparent,
      @Nullable String baggage) {
    return of(functionId, invocationId, traceparent, baggage, null);
  }

  /** A context for the given function with trace context and metadata, with its own logger. */
  public static Context of(
      @Nullable String functionId,
      @Nullable String invocationId,
      @Nullable String traceparent,
      @Nullable String baggage,
      @Nullable Object metadata) {
    return new Context(
        functionId,
        invocationId,
        new ContextLogger(functionId, invocationId),
        traceparent,
        baggage,
        metadata);
  }

  /** The context of the invocation running on this thread, or a context without a function. */
  public static Context current() {
    Context context = CURRENT.get();
    return context != null ? context : NONE;
  }

  /** Runs {@code body} with {@code context} as the current context, then restores the previous. */
  public static <T> T with(Context context, Callable<T> body) throws Exception {
    Context previous = CURRENT.get();
    CURRENT.set(context);
    try {
      return body.call();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
