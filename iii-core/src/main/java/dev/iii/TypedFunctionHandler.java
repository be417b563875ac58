package dev.iii;

import org.jspecify.annotations.Nullable;

/**
 * A {@link FunctionHandler} whose input has been converted to a Java type.
 *
 * @param <T> the input type
 */
@FunctionalInterface
public interface TypedFunctionHandler<T> {

  @Nullable Object handle(@Nullable T input) throws Exception;
}
