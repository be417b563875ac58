package dev.iii.spring.worker;

/**
 * How many functions this application has registered with its client. Implemented by the component
 * that registers them (the annotated-function registry); health and metrics report it when such a
 * bean exists.
 */
@FunctionalInterface
public interface IIIRegisteredFunctions {

  /** The number of functions currently registered through this application's client. */
  int registeredFunctionCount();
}
