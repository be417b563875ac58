package dev.iii.spring.worker;

import dev.iii.schema.JsonSchemas;
import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What an endpoint's {@code request_format} and {@code response_format} are made of: the formats
 * its annotation gives, else the schemas of its payload and result types.
 *
 * @param requestFormat the annotation's {@code requestFormat}, parsed; {@code null}: none given
 * @param responseFormat the annotation's {@code responseFormat}, parsed; {@code null}: none given
 * @param payloadType the payload parameter's generic type; {@code null}: the method takes none
 * @param resultType the type the result is written as; {@code null}: nothing to describe
 * @param generate whether the annotation lets schemas be generated
 */
record FunctionSchemas(
    @Nullable JsonNode requestFormat,
    @Nullable JsonNode responseFormat,
    @Nullable Type payloadType,
    @Nullable Type resultType,
    boolean generate) {

  /** The {@code request_format} to register: given, generated, or {@code null} for none. */
  @Nullable JsonNode request(@Nullable JsonSchemas generator) {
    return requestFormat != null ? requestFormat : generated(generator, payloadType);
  }

  /** The {@code response_format} to register: given, generated, or {@code null} for none. */
  @Nullable JsonNode response(@Nullable JsonSchemas generator) {
    return responseFormat != null ? responseFormat : generated(generator, resultType);
  }

  private @Nullable JsonNode generated(@Nullable JsonSchemas generator, @Nullable Type type) {
    return generate && generator != null && type != null ? generator.schemaFor(type) : null;
  }
}
