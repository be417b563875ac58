package dev.iii.spring.worker;

import static dev.iii.spring.worker.ArgumentResolvers.bindingFailure;
import static dev.iii.spring.worker.ArgumentResolvers.hasDefault;
import static dev.iii.spring.worker.ArgumentResolvers.invalid;

import dev.iii.spring.annotation.Header;
import dev.iii.spring.annotation.PathParam;
import dev.iii.spring.annotation.QueryParam;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;

/**
 * Binds a parameter to one part of an HTTP request ({@code @PathParam}, {@code @QueryParam},
 * {@code @Header}): reads the value from the engine's request map and converts it with the
 * application's {@link ConversionService}. Immutable.
 */
final class HttpPart implements ArgumentResolver {

  private final String id;
  private final String name;
  private final String kind;
  private final String field;
  private final String key;
  private final boolean ignoreCase;
  private final boolean required;
  private final @Nullable String defaultValue;
  private final TypeDescriptor target;
  private final ConversionService conversions;

  private HttpPart(
      ArgumentResolvers.Parameter parameter,
      ConversionService conversions,
      String kind,
      String field,
      String key,
      boolean ignoreCase,
      boolean required,
      @Nullable String defaultValue) {
    this.id = parameter.id();
    this.name = parameter.name();
    this.kind = kind;
    this.field = field;
    this.key = key;
    this.ignoreCase = ignoreCase;
    this.required = required;
    this.defaultValue = defaultValue;
    this.target = new TypeDescriptor(parameter.methodParameter());
    this.conversions = conversions;
  }

  static HttpPart path(
      ArgumentResolvers resolvers, ArgumentResolvers.Parameter parameter, PathParam annotation) {
    String key = annotation.name().isEmpty() ? parameter.name() : annotation.name();
    checkHttp(parameter, "@PathParam");
    for (String path : parameter.httpPaths()) {
      if (!List.of(path.split("/")).contains(":" + key)) {
        throw invalid(
            parameter,
            "is @PathParam(\""
                + key
                + "\") but the route "
                + path
                + " has no such parameter (declare it as {"
                + key
                + "} or :"
                + key
                + ")");
      }
    }
    return new HttpPart(
        parameter,
        resolvers.conversions(),
        "path parameter",
        "path_params",
        key,
        false,
        true,
        null);
  }

  static HttpPart query(
      ArgumentResolvers resolvers, ArgumentResolvers.Parameter parameter, QueryParam annotation) {
    checkHttp(parameter, "@QueryParam");
    String key = annotation.name().isEmpty() ? parameter.name() : annotation.name();
    return optionalPart(
        resolvers,
        parameter,
        "query parameter",
        "query_params",
        key,
        false,
        annotation.required(),
        annotation.defaultValue());
  }

  static HttpPart header(
      ArgumentResolvers resolvers, ArgumentResolvers.Parameter parameter, Header annotation) {
    checkHttp(parameter, "@Header");
    String key = annotation.name().isEmpty() ? parameter.name() : annotation.name();
    return optionalPart(
        resolvers,
        parameter,
        "header",
        "headers",
        key,
        true,
        annotation.required(),
        annotation.defaultValue());
  }

  private static HttpPart optionalPart(
      ArgumentResolvers resolvers,
      ArgumentResolvers.Parameter parameter,
      String kind,
      String field,
      String key,
      boolean ignoreCase,
      boolean requiredAttribute,
      String defaultValue) {
    boolean hasDefault = hasDefault(defaultValue);
    boolean mayBeAbsent =
        parameter.type().resolve(Object.class) == Optional.class
            || ArgumentResolvers.isNullable(parameter);
    boolean required = requiredAttribute && !hasDefault && !mayBeAbsent;
    if (!required && !hasDefault && parameter.type().resolve(Object.class).isPrimitive()) {
      throw invalid(
          parameter,
          "is an optional "
              + kind
              + " of a primitive type: give it a defaultValue or a wrapper type");
    }
    return new HttpPart(
        parameter,
        resolvers.conversions(),
        kind,
        field,
        key,
        ignoreCase,
        required,
        hasDefault ? defaultValue : null);
  }

  private static void checkHttp(ArgumentResolvers.Parameter parameter, String annotation) {
    if (parameter.httpPaths().isEmpty()) {
      throw invalid(
          parameter, "is " + annotation + " but the method has no @HttpTrigger to take it from");
    }
  }

  @Override
  public @Nullable Object resolve(InvocationInput input) {
    Map<?, ?> request = input.httpRequest();
    if (request == null) {
      throw bindingFailure(
          id, name, "it takes the " + kind + " '" + key + "' and the call did not come over HTTP");
    }
    Object value = lookup(request.get(field));
    if (value == null) {
      value = defaultValue;
    }
    if (value == null) {
      if (required) {
        throw bindingFailure(id, name, "the " + kind + " '" + key + "' is missing");
      }
      return target.getType() == Optional.class ? Optional.empty() : null;
    }
    try {
      return convert(value);
    } catch (ConversionException | IllegalArgumentException e) {
      throw bindingFailure(
          id,
          name,
          "the " + kind + " '" + key + "' is not a valid " + target.getType().getSimpleName());
    }
  }

  private @Nullable Object lookup(@Nullable Object parts) {
    if (!(parts instanceof Map<?, ?> map)) {
      return null;
    }
    Object value = map.get(key);
    if (value == null && ignoreCase) {
      String lower = key.toLowerCase(Locale.ROOT);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (String.valueOf(entry.getKey()).toLowerCase(Locale.ROOT).equals(lower)) {
          return entry.getValue();
        }
      }
    }
    return value;
  }

  /** Converts a value; a list (a repeated parameter) gives its last element to a single value. */
  private @Nullable Object convert(Object value) {
    Object single = value;
    if (value instanceof List<?> list && !target.isCollection() && !target.isArray()) {
      single = list.isEmpty() ? null : list.get(list.size() - 1);
    }
    if (single == null) {
      return null;
    }
    return conversions.convert(single, TypeDescriptor.forObject(single), target);
  }
}
