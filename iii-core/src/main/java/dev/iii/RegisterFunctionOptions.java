package dev.iii;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a function is registered with besides its handler, as the official SDKs' {@code
 * RegisterFunctionOptions}: a description, the JSON Schemas of its input ({@code request_format})
 * and output ({@code response_format}), and free-form metadata. The engine shows them in {@code
 * engine::functions::list} and {@code engine::functions::info}.
 *
 * <pre>{@code
 * iii.registerFunction("orders::get", handler,
 *     RegisterFunctionOptions.builder()
 *         .description("Reads an order")
 *         .requestFormat(Map.of("type", "object", "required", List.of("id")))
 *         .metadata(Map.of("team", "orders"))
 *         .build());
 * }</pre>
 *
 * @param description what the function does ({@code null}: none)
 * @param requestFormat the JSON Schema of its input ({@code null}: none)
 * @param responseFormat the JSON Schema of its result ({@code null}: none)
 * @param metadata free-form metadata ({@code null}: none)
 */
public record RegisterFunctionOptions(
    @Nullable String description,
    @Nullable JsonNode requestFormat,
    @Nullable JsonNode responseFormat,
    @Nullable Map<String, ?> metadata) {

  /** No description, formats or metadata. */
  public static final RegisterFunctionOptions NONE =
      new RegisterFunctionOptions(null, null, null, null);

  /** Copies the schemas and the metadata, so later changes to them do not leak in. */
  public RegisterFunctionOptions {
    requestFormat = copy(requestFormat);
    responseFormat = copy(responseFormat);
    metadata = metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  static @Nullable JsonNode copy(@Nullable JsonNode schema) {
    return schema == null || schema.isNull() || schema.isMissingNode() ? null : schema.deepCopy();
  }

  static @Nullable JsonNode schema(@Nullable Map<String, ?> schema) {
    return schema == null ? null : JsonMapper.shared().valueToTree(schema);
  }

  /** Builds {@link RegisterFunctionOptions}. */
  public static final class Builder {

    private @Nullable String description;
    private @Nullable JsonNode requestFormat;
    private @Nullable JsonNode responseFormat;
    private @Nullable Map<String, ?> metadata;

    private Builder() {}

    /** See {@link RegisterFunctionOptions#description()}. */
    public Builder description(@Nullable String description) {
      this.description = description;
      return this;
    }

    /** See {@link RegisterFunctionOptions#requestFormat()}. */
    public Builder requestFormat(@Nullable JsonNode schema) {
      this.requestFormat = schema;
      return this;
    }

    /** The input's JSON Schema as plain Java values ({@code Map}, {@code List}, strings…). */
    public Builder requestFormat(@Nullable Map<String, ?> schema) {
      this.requestFormat = schema(schema);
      return this;
    }

    /** See {@link RegisterFunctionOptions#responseFormat()}. */
    public Builder responseFormat(@Nullable JsonNode schema) {
      this.responseFormat = schema;
      return this;
    }

    /** The result's JSON Schema as plain Java values. */
    public Builder responseFormat(@Nullable Map<String, ?> schema) {
      this.responseFormat = schema(schema);
      return this;
    }

    /** See {@link RegisterFunctionOptions#metadata()}. */
    public Builder metadata(@Nullable Map<String, ?> metadata) {
      this.metadata = metadata;
      return this;
    }

    /** The options. */
    public RegisterFunctionOptions build() {
      return new RegisterFunctionOptions(description, requestFormat, responseFormat, metadata);
    }
  }
}
