package dev.iii.spring.worker;

import java.util.List;

/**
 * How many functions this application has registered with its client, and which of them (or of
 * their triggers) the engine refused. Implemented by the component that registers them (the
 * annotated-function registry); health and metrics report it when such a bean exists.
 */
@FunctionalInterface
public interface IIIRegisteredFunctions {

  /** The number of functions currently registered through this application's client. */
  int registeredFunctionCount();

  /**
   * Registrations the engine refused while they stood, in the order the refusals came; none by
   * default. A refusal stays listed until the registration is removed (the application stops), even
   * if the engine takes the registration again after a reconnect.
   */
  default List<RefusedRegistration> refusedRegistrations() {
    return List.of();
  }
}
