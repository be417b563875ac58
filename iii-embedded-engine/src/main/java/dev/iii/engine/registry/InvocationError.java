package dev.iii.engine.registry;

import dev.iii.protocol.ErrorBody;

/** An invocation that ended with an error the caller should see as {@code {code, message}}. */
public final class InvocationError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ErrorBody body;

  public InvocationError(ErrorBody body) {
    super(body.code() + ": " + body.message(), null, false, false);
    this.body = body;
  }

  public InvocationError(String code, String message) {
    this(new ErrorBody(code, message));
  }

  public ErrorBody body() {
    return body;
  }

  /**
   * The error a caller should see for a failed stage: the {@link InvocationError} inside it, or an
   * {@code invocation_failed} carrying the unexpected exception's message.
   */
  public static InvocationError of(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof InvocationError error) {
      return error;
    }
    return new InvocationError("invocation_failed", String.valueOf(cause.getMessage()));
  }

  /** The official engine's error for a call to a function nobody registered. */
  public static InvocationError functionNotFound(String functionId) {
    return new InvocationError("function_not_found", "Function " + functionId + " not found");
  }

  /** The official engine's error for a call whose handler or caller went away. */
  public static InvocationError stopped() {
    return new InvocationError("invocation_stopped", "Invocation stopped");
  }
}
