package dev.iii.engine.modules.httpfunctions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How the engine calls one HTTP-invoked function: the {@code invocation} of its {@code
 * registerfunction}, with the auth secrets already read from the engine's environment.
 *
 * @param url the URL exactly as registered (shown only through {@link UrlRedaction})
 * @param method {@code GET POST PUT PATCH DELETE} (uppercase only, as the official engine)
 * @param timeoutMs the whole exchange's limit, or {@code null} for the 30 s default
 * @param headers custom headers, sent after the engine's own
 * @param auth the resolved authentication, or {@code null}
 */
record HttpInvocation(
    String url,
    String method,
    @Nullable Long timeoutMs,
    Map<String, String> headers,
    @Nullable Auth auth) {

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /** Authentication with its secret values (never logged). */
  sealed interface Auth {}

  /** {@code x-iii-Signature: sha256=<hex HMAC-SHA256(secret, "<ts>:<base64(body)>")>}. */
  record Hmac(String secret) implements Auth {
    @Override
    public String toString() {
      return "Hmac[secret=***]";
    }
  }

  /** {@code Authorization: Bearer <token>}. */
  record Bearer(String token) implements Auth {
    @Override
    public String toString() {
      return "Bearer[token=***]";
    }
  }

  /** {@code <header>: <value>}. */
  record ApiKey(String header, String value) implements Auth {
    @Override
    public String toString() {
      return "ApiKey[header=" + header + ", value=***]";
    }
  }

  /**
   * Reads an {@code invocation} object and resolves its secrets now, as the official engine does at
   * registration.
   *
   * @throws IllegalArgumentException with a message naming what is missing or malformed
   */
  static HttpInvocation parse(JsonNode node, Function<String, @Nullable String> environment) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("invocation must be an object");
    }
    String url = requiredString(node, "url", "invocation.url");
    JsonNode methodNode = node.path("method");
    String method = "POST";
    if (!methodNode.isMissingNode() && !methodNode.isNull()) {
      method = methodNode.isString() ? methodNode.asString() : "";
      if (!METHODS.contains(method)) {
        throw new IllegalArgumentException(
            "invocation.method must be one of GET, POST, PUT, PATCH, DELETE, got " + methodNode);
      }
    }
    JsonNode timeoutNode = node.path("timeout_ms");
    Long timeoutMs = null;
    if (!timeoutNode.isMissingNode() && !timeoutNode.isNull()) {
      if (!timeoutNode.canConvertToLong()
          || !timeoutNode.isIntegralNumber()
          || timeoutNode.asLong() < 0) {
        throw new IllegalArgumentException(
            "invocation.timeout_ms must be a non-negative integer, got " + timeoutNode);
      }
      timeoutMs = timeoutNode.asLong();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode headersNode = node.path("headers");
    if (!headersNode.isMissingNode() && !headersNode.isNull()) {
      if (!headersNode.isObject()) {
        throw new IllegalArgumentException("invocation.headers must be an object");
      }
      for (Map.Entry<String, JsonNode> header : headersNode.properties()) {
        if (!header.getValue().isString()) {
          throw new IllegalArgumentException(
              "invocation.headers." + header.getKey() + " must be a string");
        }
        headers.put(header.getKey(), header.getValue().asString());
      }
    }
    JsonNode authNode = node.path("auth");
    Auth auth = authNode.isMissingNode() || authNode.isNull() ? null : auth(authNode, environment);
    // Unmodifiable but in registration order, which is the order they are sent in.
    return new HttpInvocation(url, method, timeoutMs, Collections.unmodifiableMap(headers), auth);
  }

  private static Auth auth(JsonNode node, Function<String, @Nullable String> environment) {
    String type = requiredString(node, "type", "invocation.auth.type");
    return switch (type) {
      case "hmac" ->
          new Hmac(secret(node, "secret_key", environment, "secret_not_found", "HMAC secret"));
      case "bearer" ->
          new Bearer(secret(node, "token_key", environment, "token_not_found", "Bearer token"));
      case "api_key" ->
          new ApiKey(
              requiredString(node, "header", "invocation.auth.header"),
              secret(node, "value_key", environment, "api_key_not_found", "API key"));
      default ->
          throw new IllegalArgumentException(
              "invocation.auth.type must be hmac, bearer or api_key, got '" + type + "'");
    };
  }

  private static String secret(
      JsonNode auth,
      String field,
      Function<String, @Nullable String> environment,
      String code,
      String what) {
    String variable = requiredString(auth, field, "invocation.auth." + field);
    String value = environment.apply(variable);
    if (value == null) {
      throw new IllegalArgumentException(
          code + ": " + what + " environment variable '" + variable + "' is not set");
    }
    return value;
  }

  private static String requiredString(JsonNode node, String field, String name) {
    JsonNode value = node.path(field);
    if (!value.isString()) {
      throw new IllegalArgumentException(name + " is required and must be a string");
    }
    return value.asString();
  }

  /** Never prints secrets. */
  @Override
  public String toString() {
    return method
        + " "
        + UrlRedaction.redact(url)
        + (auth == null ? "" : " (" + auth.getClass().getSimpleName() + ")");
  }
}
