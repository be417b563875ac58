package dev.iii;

import java.util.Objects;

/**
 * How the engine authenticates to the endpoint of an HTTP-invoked function. Every value is the
 * <em>name of an environment variable</em> read by the engine when the function is registered; the
 * secret itself never passes through the worker.
 */
public sealed interface HttpAuth permits HttpAuth.Hmac, HttpAuth.Bearer, HttpAuth.ApiKey {

  /**
   * Signs each request: {@code x-iii-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>:<base64
   * body>">}.
   *
   * @param secretKeyEnvVar the environment variable holding the HMAC secret
   */
  static HttpAuth hmac(String secretKeyEnvVar) {
    return new Hmac(secretKeyEnvVar);
  }

  /**
   * Sends {@code Authorization: Bearer <token>}.
   *
   * @param tokenKeyEnvVar the environment variable holding the token
   */
  static HttpAuth bearer(String tokenKeyEnvVar) {
    return new Bearer(tokenKeyEnvVar);
  }

  /**
   * Sends {@code <header>: <value>}.
   *
   * @param header the header name
   * @param valueKeyEnvVar the environment variable holding the value
   */
  static HttpAuth apiKey(String header, String valueKeyEnvVar) {
    return new ApiKey(header, valueKeyEnvVar);
  }

  /**
   * HMAC signature; {@code {"type":"hmac","secret_key":…}} on the wire.
   *
   * @param secretKey the environment variable holding the secret
   */
  record Hmac(String secretKey) implements HttpAuth {
    /** Validates the variable name. */
    public Hmac {
      requireName(secretKey, "secretKey");
    }
  }

  /**
   * Bearer token; {@code {"type":"bearer","token_key":…}} on the wire.
   *
   * @param tokenKey the environment variable holding the token
   */
  record Bearer(String tokenKey) implements HttpAuth {
    /** Validates the variable name. */
    public Bearer {
      requireName(tokenKey, "tokenKey");
    }
  }

  /**
   * API key header; {@code {"type":"api_key","header":…,"value_key":…}} on the wire.
   *
   * @param header the header name
   * @param valueKey the environment variable holding the value
   */
  record ApiKey(String header, String valueKey) implements HttpAuth {
    /** Validates the header and variable names. */
    public ApiKey {
      requireName(header, "header");
      requireName(valueKey, "valueKey");
    }
  }

  private static void requireName(String value, String what) {
    if (Objects.requireNonNull(value, what).isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
