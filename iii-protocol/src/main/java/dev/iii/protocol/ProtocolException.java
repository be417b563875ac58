package dev.iii.protocol;

import org.jspecify.annotations.Nullable;

/** A frame that is not a valid protocol message: bad JSON, an unknown type or a missing field. */
public final class ProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean unknownType;

  ProtocolException(String message, @Nullable Throwable cause, boolean unknownType) {
    super(message, cause);
    this.unknownType = unknownType;
  }

  /**
   * Whether the frame was well-formed but of a {@code type} this side does not know. Peers of other
   * versions send such messages legitimately, so they are worth less noise than bad JSON.
   */
  public boolean isUnknownType() {
    return unknownType;
  }
}
