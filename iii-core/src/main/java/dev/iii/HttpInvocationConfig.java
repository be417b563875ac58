package dev.iii;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A function the engine runs by calling an HTTP endpoint instead of a worker: the engine sends the
 * call's data as a JSON body and answers with the endpoint's JSON response. Register one with
 * {@link IIIClient#registerFunction(String, HttpInvocationConfig, String)}.
 *
 * <pre>{@code
 * iii.registerFunction("external::lambda",
 *     HttpInvocationConfig.builder()
 *         .url("https://my-lambda.example.com/invoke")
 *         .timeoutMs(10_000)
 *         .headers(Map.of("X-Custom-Header", "value"))
 *         .auth(HttpAuth.bearer("LAMBDA_TOKEN"))
 *         .build(),
 *     "External Lambda function");
 * }</pre>
 *
 * @param url the endpoint, called as registered
 * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
 * @param timeoutMs the engine's timeout for the whole exchange; {@code null} for its default (30 s)
 * @param headers extra request headers
 * @param auth how the engine authenticates, or {@code null}
 */
public record HttpInvocationConfig(
    String url,
    String method,
    @Nullable Long timeoutMs,
    Map<String, String> headers,
    @Nullable HttpAuth auth) {

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /** Validates the config and upper-cases the method (the engine only accepts upper case). */
  public HttpInvocationConfig {
    if (Objects.requireNonNull(url, "url").isBlank()) {
      throw new IllegalArgumentException("url is required");
    }
    method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException(
          "method must be one of GET, POST, PUT, PATCH, DELETE: " + method);
    }
    if (timeoutMs != null && timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs must be positive: " + timeoutMs);
    }
    // Insertion order is kept: the engine sends the headers in this order.
    headers =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
  }

  /** A builder; the method defaults to {@code POST}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The {@code invocation} object of {@code registerfunction}. */
  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("url", url);
    node.put("method", method);
    if (timeoutMs != null) {
      node.put("timeout_ms", timeoutMs);
    }
    ObjectNode headerNode = node.putObject("headers");
    headers.forEach(headerNode::put);
    if (auth != null) {
      ObjectNode authNode = node.putObject("auth");
      if (auth instanceof HttpAuth.Hmac hmac) {
        authNode.put("type", "hmac").put("secret_key", hmac.secretKey());
      } else if (auth instanceof HttpAuth.Bearer bearer) {
        authNode.put("type", "bearer").put("token_key", bearer.tokenKey());
      } else if (auth instanceof HttpAuth.ApiKey apiKey) {
        authNode
            .put("type", "api_key")
            .put("header", apiKey.header())
            .put("value_key", apiKey.valueKey());
      }
    }
    return node;
  }

  /** Builds an {@link HttpInvocationConfig}. */
  public static final class Builder {

    private @Nullable String url;
    private String method = "POST";
    private @Nullable Long timeoutMs;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private @Nullable HttpAuth auth;

    private Builder() {}

    /** The endpoint (required). */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** The HTTP method, any case; {@code POST} by default. */
    public Builder method(String method) {
      this.method = method;
      return this;
    }

    /** The engine's timeout for the whole exchange, in milliseconds. */
    public Builder timeoutMs(long timeoutMs) {
      this.timeoutMs = timeoutMs;
      return this;
    }

    /** Extra request headers (added to those already set). */
    public Builder headers(Map<String, String> headers) {
      this.headers.putAll(headers);
      return this;
    }

    /** How the engine authenticates to the endpoint. */
    public Builder auth(HttpAuth auth) {
      this.auth = auth;
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException when the url is missing or the method is not supported
     */
    public HttpInvocationConfig build() {
      if (url == null) {
        throw new IllegalArgumentException("url is required");
      }
      return new HttpInvocationConfig(url, method, timeoutMs, headers, auth);
    }
  }
}
