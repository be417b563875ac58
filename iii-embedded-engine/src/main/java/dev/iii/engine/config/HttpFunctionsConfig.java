package dev.iii.engine.config;

import java.util.List;

/**
 * The module behind HTTP-invoked functions ({@code modules::http_functions::HttpFunctionsModule}):
 * which URLs the engine may call.
 *
 * @param urlAllowlist glob patterns a URL's host must match; empty allows any host
 * @param blockPrivateIps refuse hosts that are or resolve to private, loopback or link-local
 *     addresses
 * @param requireHttps refuse {@code http://} URLs
 */
public record HttpFunctionsConfig(
    List<String> urlAllowlist, boolean blockPrivateIps, boolean requireHttps) {

  public HttpFunctionsConfig {
    urlAllowlist = List.copyOf(urlAllowlist);
  }

  /** The official defaults: any host, no private addresses, HTTPS only. */
  public static HttpFunctionsConfig secure() {
    return new HttpFunctionsConfig(List.of("*"), true, true);
  }

  /** For local development: only {@code localhost} and {@code 127.0.0.1}, plain HTTP allowed. */
  public static HttpFunctionsConfig development() {
    return new HttpFunctionsConfig(List.of("localhost", "127.0.0.1"), false, false);
  }
}
