package dev.iii.engine.modules.httpfunctions;

import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.Worker;
import dev.iii.engine.support.RateLimitedLog;
import dev.iii.protocol.RegisterFunction;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Functions the engine invokes over HTTP: a worker registers a function with an {@code invocation}
 * (URL, method, headers, auth) and calls to it become HTTP requests.
 *
 * <p>As in the official engine, a registration is checked at once — the URL against the security
 * settings, the auth secrets in the engine's environment — and a refused one is only logged: the
 * function then does not exist. The URL is checked again before every call. The function belongs to
 * the registering worker, so it goes away when that worker disconnects.
 */
public final class HttpFunctionsModule implements EngineModule {

  /** How often a cause of refused registrations may write a WARN line. */
  public static final Duration REFUSAL_LOG_INTERVAL = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(HttpFunctionsModule.class);

  private final RateLimitedLog refusals = new RateLimitedLog(log, REFUSAL_LOG_INTERVAL);

  private final HttpFunctionsConfig config;
  private final UrlValidator validator;
  private final HttpInvoker invoker;

  /**
   * @throws IllegalArgumentException when an allowlist pattern is not a valid glob
   */
  public HttpFunctionsModule(HttpFunctionsConfig config) {
    this.config = config;
    this.validator = new UrlValidator(config);
    this.invoker = new HttpInvoker(validator);
  }

  @Override
  public void start(ModuleContext context) {
    context.messages().externalFunctions((worker, message) -> register(context, worker, message));
  }

  /** The module's configuration. */
  public HttpFunctionsConfig config() {
    return config;
  }

  @Override
  public void close() {
    invoker.close();
  }

  private void register(ModuleContext context, Worker worker, RegisterFunction message) {
    String id = message.id();
    HttpInvocation invocation;
    try {
      invocation =
          HttpInvocation.parse(Objects.requireNonNull(message.invocation()), config.environment());
    } catch (IllegalArgumentException e) {
      refusals.warn(
          "invalid invocation",
          "HTTP function {} from {} refused: {}",
          id,
          worker,
          String.valueOf(e.getMessage()));
      return;
    }
    // Usually complete at once; only a host name to resolve (private IPs blocked) defers it.
    validator
        .validate(invocation.url())
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                refusals.warn(
                    "URL refused",
                    "HTTP function {} from {} refused: {} ({})",
                    id,
                    worker,
                    InvocationError.of(error).body().message(),
                    UrlRedaction.redact(invocation.url()));
                return;
              }
              if (context.workers().get(worker.id()).orElse(null) != worker) {
                log.debug("HTTP function {} not registered: {} is gone", id, worker);
                return;
              }
              RegisteredFunction function =
                  new RegisteredFunction(
                      id,
                      message.description(),
                      message.requestFormat(),
                      message.responseFormat(),
                      message.metadata(),
                      worker,
                      input -> invoker.invoke(id, invocation, input));
              if (context.functions().register(function)) {
                // Disconnect cleanup removes what the worker's functionIds list.
                worker.functionIds().add(id);
                log.info("HTTP function {} -> {}", id, invocation);
              }
            });
  }
}
