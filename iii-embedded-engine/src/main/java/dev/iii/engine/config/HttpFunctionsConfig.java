package dev.iii.engine.config;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The module behind HTTP-invoked functions ({@code modules::http_functions::HttpFunctionsModule}):
 * which URLs the engine may call, and where the secrets named in a function's {@code auth} come
 * from.
 *
 * @param urlAllowlist glob patterns a URL's host must match; empty allows any host
 * @param blockPrivateIps refuse hosts that are or resolve to private, loopback, link-local or other
 *     special-purpose addresses (IPv4 embedded in IPv6 included)
 * @param requireHttps refuse {@code http://} URLs
 * @param environment looks up the engine's environment variables named in {@code auth} ({@code
 *     secret_key}, {@code token_key}, {@code value_key}); {@link #SYSTEM_ENVIRONMENT} unless a test
 *     or an embedding application supplies its own
 * @param resolver resolves URL host names, once per call; the engine connects only to an address of
 *     that answer ({@link HostResolver#SYSTEM} unless a test or an embedding application supplies
 *     its own)
 */
public record HttpFunctionsConfig(
    List<String> urlAllowlist,
    boolean blockPrivateIps,
    boolean requireHttps,
    Function<String, @Nullable String> environment,
    HostResolver resolver) {

  /** The process environment ({@link System#getenv(String)}). */
  public static final Function<String, @Nullable String> SYSTEM_ENVIRONMENT = System::getenv;

  /** Copies the allowlist; the environment and the resolver are required. */
  public HttpFunctionsConfig {
    urlAllowlist = List.copyOf(urlAllowlist);
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(resolver, "resolver");
  }

  /** Host names resolved by the JDK. */
  public HttpFunctionsConfig(
      List<String> urlAllowlist,
      boolean blockPrivateIps,
      boolean requireHttps,
      Function<String, @Nullable String> environment) {
    this(urlAllowlist, blockPrivateIps, requireHttps, environment, HostResolver.SYSTEM);
  }

  /** Secrets from the process environment, host names resolved by the JDK. */
  public HttpFunctionsConfig(
      List<String> urlAllowlist, boolean blockPrivateIps, boolean requireHttps) {
    this(urlAllowlist, blockPrivateIps, requireHttps, SYSTEM_ENVIRONMENT);
  }

  /** The official defaults: any host, no private addresses, HTTPS only. */
  public static HttpFunctionsConfig secure() {
    return new HttpFunctionsConfig(List.of("*"), true, true);
  }

  /** For local development: only {@code localhost} and {@code 127.0.0.1}, plain HTTP allowed. */
  public static HttpFunctionsConfig development() {
    return new HttpFunctionsConfig(List.of("localhost", "127.0.0.1"), false, false);
  }

  /** The same settings with secrets looked up elsewhere. */
  public HttpFunctionsConfig withEnvironment(Function<String, @Nullable String> value) {
    return new HttpFunctionsConfig(urlAllowlist, blockPrivateIps, requireHttps, value, resolver);
  }

  /** The same settings with host names resolved elsewhere. */
  public HttpFunctionsConfig withResolver(HostResolver value) {
    return new HttpFunctionsConfig(urlAllowlist, blockPrivateIps, requireHttps, environment, value);
  }
}
