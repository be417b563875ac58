package dev.iii.spring.worker;

import org.jspecify.annotations.Nullable;

/**
 * Produces one argument of an {@code @IIIFunction} method. One resolver per parameter is chosen
 * when the application starts, so invocations do no reflection on the signature.
 */
@FunctionalInterface
interface ArgumentResolver {

  /**
   * Resolves the argument.
   *
   * @throws dev.iii.IIIException with code {@code invalid_argument} when the input does not bind
   */
  @Nullable Object resolve(InvocationInput input);
}
