package dev.iii;

import org.jspecify.annotations.Nullable;

/**
 * A failed call or operation, with the engine's (or the SDK's) error {@code code} and message.
 *
 * <p>Codes from the engine include {@code function_not_found}, {@code invocation_failed} (the
 * handler threw), {@code invocation_stopped} (the handler's worker went away), {@code
 * enqueue_error} (a {@link TriggerAction#enqueue(String) queued call} the engine could not queue),
 * {@code FORBIDDEN} (access control refused a call), {@code NOT_FOUND} (an {@code engine::*::info}
 * of something unknown), {@code AUTH_ERROR} (an engine with access control refused the connection)
 * and the refusals of registrations ({@code WORKER_NAMESPACE_CONFLICT}, {@code
 * FUNCTION_NAMESPACE_CONFLICT}, or a trigger's refusal code); codes from this SDK include {@code
 * timeout}, {@code connection_lost}, {@code shutdown}, {@code queue_overflow}, {@code
 * connection_failed}, {@code payload_too_large}, {@code invalid_result} (a typed call's result did
 * not convert to the requested type), {@code unavailable} (the worker's invocation queue is full,
 * or it is shutting down), {@code function_not_invokable} (an HTTP-invoked function reached a
 * worker), {@code channel_not_found} and {@code channel_closed}.
 */
public class IIIException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Error codes this SDK produces itself. */
  public static final String TIMEOUT = "timeout";

  public static final String CONNECTION_LOST = "connection_lost";
  public static final String CONNECTION_FAILED = "connection_failed";
  public static final String SHUTDOWN = "shutdown";
  public static final String QUEUE_OVERFLOW = "queue_overflow";
  public static final String INVOCATION_FAILED = "invocation_failed";
  public static final String FUNCTION_NOT_FOUND = "function_not_found";
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  public static final String INVALID_RESULT = "invalid_result";
  public static final String FUNCTION_NOT_INVOKABLE = "function_not_invokable";
  public static final String CHANNEL_NOT_FOUND = "channel_not_found";
  public static final String CHANNEL_CLOSED = "channel_closed";

  /** The engine could not queue a call made with {@link TriggerAction#enqueue(String)}. */
  public static final String ENQUEUE_ERROR = "enqueue_error";

  /**
   * The worker cannot take the invocation now: its invocation queue is full, or it is shutting
   * down. Worth retrying later or elsewhere.
   */
  public static final String UNAVAILABLE = "unavailable";

  private final String code;
  private final String errorMessage;
  private final @Nullable String functionId;
  private final @Nullable String remoteStacktrace;

  /** An error to raise from a handler: the caller receives this code and message. */
  public IIIException(String code, String message) {
    this(code, message, null, null, null);
  }

  public IIIException(
      String code,
      String message,
      @Nullable String functionId,
      @Nullable String remoteStacktrace,
      @Nullable Throwable cause) {
    super(describe(code, message, functionId), cause);
    this.code = code;
    this.errorMessage = message;
    this.functionId = functionId;
    this.remoteStacktrace = remoteStacktrace;
  }

  /** The machine-readable code, e.g. {@code function_not_found}. */
  public String code() {
    return code;
  }

  /** The message as the engine or handler sent it, without the code and function id. */
  public String errorMessage() {
    return errorMessage;
  }

  /** The function the failed call was addressed to, when known. */
  public @Nullable String functionId() {
    return functionId;
  }

  /** The stack trace the remote handler sent, if any. */
  public @Nullable String remoteStacktrace() {
    return remoteStacktrace;
  }

  private static String describe(String code, String message, @Nullable String functionId) {
    return functionId == null
        ? code + ": " + message
        : code + ": " + message + " (function " + functionId + ")";
  }
}
