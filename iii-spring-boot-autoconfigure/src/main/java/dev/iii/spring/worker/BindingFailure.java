package dev.iii.spring.worker;

import dev.iii.IIIException;

/**
 * An input that does not bind to a method's parameters ({@code invalid_argument}). Its message is
 * written by the starter for the caller (it names the parameter and what is wrong, never the
 * input's content or library internals), so HTTP error bodies always include it. Immutable.
 */
final class BindingFailure extends IIIException {

  private static final long serialVersionUID = 1L;

  BindingFailure(String message) {
    super(IIIFunctionInvoker.INVALID_ARGUMENT, message);
  }
}
