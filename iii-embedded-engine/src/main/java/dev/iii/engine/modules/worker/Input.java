package dev.iii.engine.modules.worker;

import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.support.SerdeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads a built-in's input the way the official engine deserialises it: unknown keys are ignored,
 * {@code null} reads as absent, and a value of the wrong type fails the call with {@code
 * deserialization_error}. Immutable.
 */
final class Input {

  private final String functionId;
  private final JsonNode input;

  private Input(String functionId, JsonNode input) {
    this.functionId = functionId;
    this.input = input;
  }

  /**
   * The input of one call.
   *
   * @throws InvocationError when the input is not an object (or null)
   */
  static Input of(String functionId, JsonNode input) {
    if (input.isNull() || input.isMissingNode()) {
      return new Input(functionId, JsonNodeFactory.instance.objectNode());
    }
    if (!input.isObject()) {
      throw deserializationError(functionId, "invalid type: expected an object");
    }
    return new Input(functionId, input);
  }

  boolean flag(String field) {
    JsonNode value = value(field);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalid(field, "a boolean");
    }
    return value.booleanValue();
  }

  @Nullable String string(String field) {
    JsonNode value = value(field);
    if (value == null) {
      return null;
    }
    if (!value.isString()) {
      throw invalid(field, "a string");
    }
    return value.stringValue();
  }

  String requiredString(String field) {
    String value = string(field);
    if (value == null) {
      throw deserializationError(functionId, "missing field `" + field + "`");
    }
    return value;
  }

  @Nullable List<String> strings(String field) {
    JsonNode value = value(field);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      throw invalid(field, "a sequence of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isString()) {
        throw invalid(field, "a sequence of strings");
      }
      out.add(item.stringValue());
    }
    return out;
  }

  @Nullable Long unsigned(String field, long max) {
    JsonNode value = value(field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw invalid(field, "an integer");
    }
    long number = value.longValue();
    if (number < 0 || number > max) {
      throw deserializationError(
          functionId, "invalid value for `" + field + "`: " + number + " is out of range");
    }
    return number;
  }

  /** A member as is (any JSON), or {@code null} when absent or {@code null}. */
  @Nullable JsonNode any(String field) {
    return value(field);
  }

  private @Nullable JsonNode value(String field) {
    JsonNode value = input.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private InvocationError invalid(String field, String expected) {
    return deserializationError(
        functionId, "invalid type for `" + field + "`: expected " + expected);
  }

  static InvocationError deserializationError(String functionId, String detail) {
    return new InvocationError("deserialization_error", SerdeText.inputMessage(functionId, detail));
  }

  /** Case-insensitive substring match against any of the texts (the official {@code search}). */
  static boolean matches(String needle, @Nullable String... haystacks) {
    String lowered = needle.toLowerCase(Locale.ROOT);
    for (String haystack : haystacks) {
      if (haystack != null && haystack.toLowerCase(Locale.ROOT).contains(lowered)) {
        return true;
      }
    }
    return false;
  }
}
