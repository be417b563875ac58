package dev.iii.spring.worker;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches invocations of {@code @IIIFunction} methods, e.g. to record metrics or observations.
 * Failures of an observer are logged and never affect the invocation.
 *
 * <p>{@link #started} runs on the handler thread before the method runs, so {@link
 * dev.iii.Context#current()} (function, invocation id, the caller's {@code traceparent}) is
 * available there. {@link Completion#openScope()} is called on the same thread right before the
 * method runs and its scope is closed when the method returns (before an asynchronous result
 * completes); {@link Completion#completed(String, Throwable)} is called once when the invocation,
 * including an asynchronous result, has completed.
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

  /**
   * All of {@code observers}, in order (their completions and scopes in reverse order); a failing
   * observer does not keep the others from running.
   */
  static IIIInvocationObserver composite(List<? extends IIIInvocationObserver> observers) {
    if (observers.size() == 1) {
      return observers.get(0);
    }
    List<IIIInvocationObserver> all = List.copyOf(observers);
    return endpoint -> {
      List<Completion> completions = new ArrayList<>(all.size());
      for (IIIInvocationObserver observer : all) {
        try {
          completions.add(observer.started(endpoint));
        } catch (RuntimeException e) {
          Composite.log.warn("Observer of {} failed; the invocation goes on", endpoint.id(), e);
        }
      }
      return new Composite(completions);
    };
  }

  /** The end of one observed invocation. */
  @FunctionalInterface
  interface Completion {

    /** The invocation completed with {@code outcome}, one of the {@code OUTCOME_*} constants. */
    void completed(String outcome);

    /**
     * The invocation completed with {@code outcome}; {@code error} is why it failed ({@code null}
     * on success). Calls {@link #completed(String)} unless overridden.
     */
    default void completed(String outcome, @Nullable Throwable error) {
      completed(outcome);
    }

    /**
     * Called on the handler thread right before the method runs, e.g. to make an observation
     * current; the scope is closed on the same thread when the method returns.
     */
    default Scope openScope() {
      return Scope.NONE;
    }
  }

  /** What {@link Completion#openScope()} opened. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {

    /** A scope that does nothing. */
    Scope NONE = () -> {};

    @Override
    void close();
  }

  /** The completions of several observers. */
  final class Composite implements Completion {

    private static final Logger log = LoggerFactory.getLogger(IIIInvocationObserver.class);

    private final List<Completion> completions;

    private Composite(List<Completion> completions) {
      this.completions = completions;
    }

    @Override
    public void completed(String outcome) {
      completed(outcome, null);
    }

    @Override
    public void completed(String outcome, @Nullable Throwable error) {
      for (int i = completions.size() - 1; i >= 0; i--) {
        try {
          completions.get(i).completed(outcome, error);
        } catch (RuntimeException e) {
          log.warn("Invocation observer failed; the invocation goes on", e);
        }
      }
    }

    @Override
    public Scope openScope() {
      List<Scope> scopes = new ArrayList<>(completions.size());
      for (Completion completion : completions) {
        try {
          scopes.add(completion.openScope());
        } catch (RuntimeException e) {
          log.warn("Invocation observer failed to open its scope", e);
        }
      }
      return () -> {
        for (int i = scopes.size() - 1; i >= 0; i--) {
          try {
            scopes.get(i).close();
          } catch (RuntimeException e) {
            log.warn("Invocation observer failed to close its scope", e);
          }
        }
      };
    }
  }
}
