package dev.iii.engine.registry;

/** A trigger whose configuration its type's provider refused; the message says why. */
public final class InvalidTriggerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  /** A refusal; {@code message} is what the registering worker is told. */
  public InvalidTriggerException(String message) {
    super(message);
    this.reason = message;
  }

  /** Why the trigger was refused; never null. */
  @Override
  public String getMessage() {
    return reason;
  }
}
