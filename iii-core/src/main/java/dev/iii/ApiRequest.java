package dev.iii;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The input of a function bound to an HTTP trigger, as the engine sends it. Take it as a typed
 * handler's input, or read it from plain input with {@link #from(Object)}:
 *
 * <pre>{@code
 * iii.registerFunction("api.hello", ApiRequest.class, request ->
 *     new ApiResponse(200, Map.of("message", "Hello, " + request.queryParams().get("name"))));
 * }</pre>
 *
 * <p>Answer with an {@link ApiResponse}, or return {@code null} and stream the response through
 * {@link #stream()}.
 *
 * @param pathParams {@code :name} path segments, as sent (still percent-encoded)
 * @param queryParams query parameters, decoded (the last value of a repeated key)
 * @param body the JSON body when the request's content type is JSON, else {@code null}
 * @param headers request headers, names in lower case
 * @param method the request method, upper case
 * @param requestBody the raw request body, as a stream (JSON bodies too from engine 0.22; before,
 *     only non-JSON ones)
 * @param path the trigger's registered {@code api_path} (not the requested path)
 * @param response the channel that streams the response (see {@link #stream()})
 * @param <T> the type of the JSON body
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiRequest<T>(
    @JsonProperty("path_params") Map<String, String> pathParams,
    @JsonProperty("query_params") Map<String, String> queryParams,
    @JsonProperty("body") @Nullable T body,
    @JsonProperty("headers") Map<String, String> headers,
    @JsonProperty("method") String method,
    @JsonProperty("request_body") @Nullable ChannelReader requestBody,
    @JsonProperty("path") @Nullable String path,
    @JsonProperty("response") @Nullable ChannelWriter response) {

  /** Missing maps become empty and a missing method empty, so none of them is ever null. */
  public ApiRequest {
    pathParams = pathParams == null ? Map.of() : pathParams;
    queryParams = queryParams == null ? Map.of() : queryParams;
    headers = headers == null ? Map.of() : headers;
    method = method == null ? "" : method;
  }

  /**
   * Reads the request from a plain handler's input (a {@code Map} whose channel refs the client has
   * already turned into a {@link ChannelReader} and a {@link ChannelWriter}).
   *
   * @throws IllegalArgumentException when {@code input} is not an HTTP trigger's input
   */
  public static ApiRequest<Object> from(@Nullable Object input) {
    if (!(input instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("not an HTTP request: " + describe(input));
    }
    Object requestBody = map.get("request_body");
    Object response = map.get("response");
    if (requestBody != null && !(requestBody instanceof ChannelReader)) {
      throw new IllegalArgumentException("request_body is not a channel reader: " + requestBody);
    }
    if (response != null && !(response instanceof ChannelWriter)) {
      throw new IllegalArgumentException("response is not a channel writer: " + response);
    }
    return new ApiRequest<>(
        strings(map.get("path_params")),
        strings(map.get("query_params")),
        map.get("body"),
        strings(map.get("headers")),
        map.get("method") instanceof String method ? method : "",
        (ChannelReader) requestBody,
        map.get("path") instanceof String path ? path : null,
        (ChannelWriter) response);
  }

  /** A request header by name, ignoring case; {@code null} when absent. */
  public @Nullable String header(String name) {
    String exact = headers.get(name.toLowerCase(Locale.ROOT));
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, String> entry : headers.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /**
   * Streams the response instead of returning an {@link ApiResponse}: set the status and headers,
   * write the body, close, and have the handler return {@code null}.
   *
   * @throws IllegalStateException when the request carries no response channel
   */
  public HttpResponseStream stream() {
    if (response == null) {
      throw new IllegalStateException("this request has no response channel");
    }
    return new HttpResponseStream(response);
  }

  /** String values of a map; a list (newer engines) gives its last element, as 0.8.3 does. */
  private static Map<String, String> strings(@Nullable Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return Map.of();
    }
    Map<String, String> strings = new LinkedHashMap<>();
    map.forEach(
        (key, item) -> {
          Object single =
              item instanceof List<?> list && !list.isEmpty() ? list.get(list.size() - 1) : item;
          if (single != null) {
            strings.put(String.valueOf(key), String.valueOf(single));
          }
        });
    return strings;
  }

  private static String describe(@Nullable Object input) {
    return input == null ? "null" : input.getClass().getName();
  }
}
