package dev.iii.spring.worker;

/**
 * Watches invocations of {@code @IIIFunction} methods, e.g. to record metrics. Failures of an
 * observer are logged and never affect the invocation.
 */
@FunctionalInterface
public interface IIIInvocationObserver {

  /** The outcome of an invocation that completed normally. */
  String OUTCOME_SUCCESS = "success";

  /** The outcome of an invocation that failed because of its input ({@code invalid_argument}). */
  String OUTCOME_CLIENT_ERROR = "client_error";

  /** The outcome of an invocation that failed for any other reason. */
  String OUTCOME_SERVER_ERROR = "server_error";

  /**
   * An invocation of {@code endpoint} starts.
   *
   * @return called once with the outcome when the invocation (including an asynchronous result) has
   *     completed
   */
  Completion started(IIIFunctionEndpoint endpoint);

  /** The end of one observed invocation. */
  @FunctionalInterface
  interface Completion {

    /** The invocation completed with {@code outcome}, one of the {@code OUTCOME_*} constants. */
    void completed(String outcome);
  }
}
