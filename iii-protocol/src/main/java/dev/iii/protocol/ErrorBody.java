package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code error} object of an invocation or trigger-registration result. The engine drops a
 * message whose error lacks a string {@code code} or {@code message}.
 *
 * @param code machine-readable code, e.g. {@code function_not_found}
 * @param message human-readable message
 * @param stacktrace optional stack trace (engine 0.9+ keeps it; older engines drop it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(
    @JsonProperty(value = "code", required = true) String code,
    @JsonProperty(value = "message", required = true) String message,
    @JsonProperty("stacktrace") @Nullable String stacktrace) {

  public ErrorBody {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public ErrorBody(String code, String message) {
    this(code, message, null);
  }
}
