package dev.iii.spring.worker;

/**
 * A hook called with every exception an {@code @IIIFunction} invocation ends with (argument binding
 * included), before it becomes the invocation's error or, for an HTTP request, its response. Like
 * Spring Kafka's {@code CommonErrorHandler}, it can log, map or rethrow: return the exception to
 * report, the same one or another (for example a {@code ResponseStatusException}, an exception
 * annotated with {@code @ResponseStatus} or an {@code IIIException} with a code, which set the HTTP
 * status). Declare it as a bean; the starter uses the application's unique one.
 *
 * <pre>{@code
 * @Bean
 * IIIErrorHandler notFound() {
 *   return (endpoint, error) -> error instanceof NoSuchElementException
 *       ? new ResponseStatusException(HttpStatus.NOT_FOUND, "no such item")
 *       : error;
 * }
 * }</pre>
 *
 * <p>It runs on the thread that ended the invocation and must not block for long. If it throws, the
 * exception it threw is reported instead.
 */
@FunctionalInterface
public interface IIIErrorHandler {

  /**
   * Handles one failure.
   *
   * @param endpoint the function that failed
   * @param error the exception, unwrapped from reflection and future wrappers
   * @return the exception to report: {@code error} to keep it, or another one to map it
   */
  Throwable handleError(IIIFunctionEndpoint endpoint, Throwable error);
}
