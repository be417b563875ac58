package dev.iii.engine.registry;

/**
 * A trigger could not be handed to its type's provider because the provider's connection is ending;
 * the trigger waits for the type's next provider.
 */
public final class ProviderUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ProviderUnavailableException(String message) {
    super(message, null, false, false);
  }
}
