package dev.iii.engine.registry;

/** A trigger whose configuration its type's provider refused; the message says why. */
public final class InvalidTriggerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidTriggerException(String message) {
    super(message);
  }
}
