package dev.iii;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a function bound to an HTTP trigger returns to answer the request directly. Names follow the
 * reference SDK; the engine reads it as {@code {"status_code", "body", "headers"}}, which is how it
 * is written.
 *
 * <pre>{@code
 * iii.registerFunction("api.hello", ApiRequest.class,
 *     request -> new ApiResponse(200, Map.of("message", "Hello, world!")));
 * }</pre>
 *
 * @param status the HTTP status ({@code status_code} on the wire)
 * @param data the body, written as JSON ({@code body}; omitted when {@code null})
 * @param headers response headers (omitted when {@code null})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiResponse(
    @JsonProperty("status_code") int status,
    @JsonProperty("body") @Nullable Object data,
    @JsonProperty("headers") @Nullable Map<String, String> headers) {

  /** A response with a status and a JSON body, without headers. */
  public ApiResponse(int status, @Nullable Object data) {
    this(status, data, null);
  }
}
