package dev.iii.spring.worker;

import dev.iii.ApiRequest;
import dev.iii.Context;
import dev.iii.IIIClient;
import dev.iii.IIIException;
import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import dev.iii.protocol.WireFields;
import dev.iii.spring.annotation.Body;
import dev.iii.spring.annotation.Header;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.annotation.PathParam;
import dev.iii.spring.annotation.QueryParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.convert.ConversionService;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chooses how each parameter of an {@code @IIIFunction} method is bound, once at startup: by type
 * ({@code Context}, {@code IIIClient}, {@code ApiRequest}, channels), by annotation (parts of an
 * HTTP request) or as the payload, converted by the application's mapper and optionally checked by
 * Bean Validation. Binding failures at run time are {@link BindingFailure}s (400 over HTTP) that
 * name the parameter and what is wrong, never the input's content. Stateless apart from its
 * immutable collaborators; used at startup.
 */
final class ArgumentResolvers {

  /** What one parameter became. */
  record Binding(ArgumentResolver resolver, boolean payload) {}

  /**
   * One parameter, as the endpoint factory sees it.
   *
   * @param source names the method in startup errors
   * @param id the function id, named in binding failures
   * @param httpPaths the method's HTTP routes in the engine's syntax (empty: no HTTP trigger)
   */
  record Parameter(
      String source,
      String id,
      Method method,
      int index,
      Class<?> targetClass,
      String name,
      List<String> httpPaths) {

    ResolvableType type() {
      return ResolvableType.forMethodParameter(method, index, targetClass);
    }

    MethodParameter methodParameter() {
      return new MethodParameter(method, index).withContainingClass(targetClass);
    }

    <A extends Annotation> @Nullable A annotation(Class<A> type) {
      return AnnotatedElementUtils.findMergedAnnotation(method.getParameters()[index], type);
    }
  }

  private final Supplier<JsonMapper> mapper;
  private final Supplier<ConversionService> conversions;
  private final PayloadValidation validation;

  ArgumentResolvers(
      Supplier<JsonMapper> mapper,
      Supplier<ConversionService> conversions,
      PayloadValidation validation) {
    this.mapper = mapper;
    this.conversions = conversions;
    this.validation = validation;
  }

  Binding bind(Parameter parameter) {
    Class<?> raw = parameter.type().resolve(Object.class);
    PathParam path = parameter.annotation(PathParam.class);
    QueryParam query = parameter.annotation(QueryParam.class);
    Header header = parameter.annotation(Header.class);
    Body body = parameter.annotation(Body.class);
    int annotations =
        (path != null ? 1 : 0)
            + (query != null ? 1 : 0)
            + (header != null ? 1 : 0)
            + (body != null ? 1 : 0);
    if (annotations > 1) {
      throw invalid(parameter, "has more than one of @PathParam, @QueryParam, @Header and @Body");
    }
    if (path != null) {
      return new Binding(HttpPart.path(this, parameter, path), false);
    }
    if (query != null) {
      return new Binding(HttpPart.query(this, parameter, query), false);
    }
    if (header != null) {
      return new Binding(HttpPart.header(this, parameter, header), false);
    }
    ArgumentResolver special = body == null ? special(parameter, raw) : null;
    if (special != null) {
      return new Binding(special, false);
    }
    boolean optional = body != null ? !body.required() : isNullable(parameter);
    return new Binding(payload(parameter, raw, optional), true);
  }

  ConversionService conversions() {
    return conversions.get();
  }

  static IllegalStateException invalid(Parameter parameter, String reason) {
    return FunctionEndpointFactory.invalid(
        parameter.source(), "parameter '" + parameter.name() + "' " + reason);
  }

  /**
   * Whether a parameter is annotated {@code @Nullable} (any annotation of that simple name): it may
   * then be absent.
   */
  static boolean isNullable(Parameter parameter) {
    for (Annotation annotation : parameter.method().getParameterAnnotations()[parameter.index()]) {
      if (annotation.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return parameter
        .method()
        .getAnnotatedParameterTypes()[parameter.index()]
        .isAnnotationPresent(Nullable.class);
  }

  static boolean hasDefault(String defaultValue) {
    return !IIIFunction.NO_DEFAULT.equals(defaultValue);
  }

  /** The binding of a parameter resolved by its type, or {@code null} for the payload. */
  private @Nullable ArgumentResolver special(Parameter parameter, Class<?> raw) {
    String id = parameter.id();
    String name = parameter.name();
    if (raw == Context.class) {
      return input -> Context.current();
    }
    if (IIIClient.class.isAssignableFrom(raw)) {
      return input -> {
        if (!raw.isInstance(input.client())) {
          throw bindingFailure(id, name, "the client is a " + input.client().getClass().getName());
        }
        return input.client();
      };
    }
    if (raw == ApiRequest.class) {
      return apiRequest(parameter, parameter.type().getGeneric(0));
    }
    if (raw == ChannelReader.class || raw == ChannelWriter.class) {
      return input -> channel(id, raw, name, input.raw());
    }
    return null;
  }

  private ArgumentResolver apiRequest(Parameter parameter, ResolvableType bodyType) {
    String id = parameter.id();
    String name = parameter.name();
    Class<?> rawBody = bodyType.resolve(Object.class);
    JavaType javaBody =
        rawBody == Object.class ? null : mapper.get().constructType(bodyType.getType());
    PayloadValidation.Check check = validation.check(parameter);
    return input -> {
      ApiRequest<Object> request;
      try {
        request = ApiRequest.from(input.raw());
      } catch (IllegalArgumentException e) {
        throw bindingFailure(id, name, e.getMessage());
      }
      if (javaBody == null || request.body() == null) {
        return request;
      }
      Object converted = convert(id, name, request.body(), javaBody);
      check.validate(converted);
      return new ApiRequest<>(
          request.pathParams(),
          request.queryParams(),
          converted,
          request.headers(),
          request.method(),
          request.requestBody(),
          request.path(),
          request.response());
    };
  }

  /**
   * A channel parameter takes the payload field of its name, else the only channel of its kind in
   * the payload. Channels are live objects, so they are passed as they are, never converted.
   */
  private static Object channel(String id, Class<?> raw, String name, @Nullable Object input) {
    if (!(input instanceof Map<?, ?> map)) {
      throw bindingFailure(id, name, "the input is not an object with a " + raw.getSimpleName());
    }
    Object named = map.get(name);
    if (raw.isInstance(named)) {
      return named;
    }
    List<Object> candidates =
        map.values().stream().filter(raw::isInstance).map(v -> (Object) v).toList();
    if (candidates.size() != 1) {
      throw bindingFailure(
          id,
          name,
          "the input has "
              + candidates.size()
              + " "
              + raw.getSimpleName()
              + " values and none is named '"
              + name
              + "'");
    }
    return candidates.get(0);
  }

  private ArgumentResolver payload(Parameter parameter, Class<?> raw, boolean optionalBody) {
    String id = parameter.id();
    String name = parameter.name();
    boolean isOptional = raw == Optional.class;
    ResolvableType valueType = isOptional ? parameter.type().getGeneric(0) : parameter.type();
    Class<?> valueClass = valueType.resolve(Object.class);
    JavaType javaType = mapper.get().constructType(valueType.getType());
    PayloadValidation.Check check = validation.check(parameter);
    boolean mayBeAbsent = optionalBody || isOptional;
    return input -> {
      Object value = input.payload();
      if (value instanceof Map<?, ?> map && map.containsKey(WireFields.CALLER_WORKER_ID)) {
        // The engine adds the caller's id to object inputs; it is not part of the payload type.
        Map<Object, Object> copy = new LinkedHashMap<>(map);
        copy.remove(WireFields.CALLER_WORKER_ID);
        value = copy;
      }
      if (value == null && input.httpRequest() != null && !mayBeAbsent) {
        throw bindingFailure(
            id,
            name,
            "the request body is missing; send a JSON body with content-type: application/json");
      }
      if (value == null) {
        if (raw.isPrimitive()) {
          throw bindingFailure(id, name, "the payload is missing and " + raw + " cannot be null");
        }
        return isOptional ? Optional.empty() : null;
      }
      Object converted = valueClass == Object.class ? value : convert(id, name, value, javaType);
      check.validate(converted);
      return isOptional ? Optional.of(converted) : converted;
    };
  }

  /**
   * Converts a payload; a failure names the type and the JSON path of the field that did not
   * convert, never the value or the mapper's message (they may echo the input or internals).
   */
  private Object convert(String id, String name, Object value, JavaType type) {
    try {
      return mapper.get().convertValue(value, type);
    } catch (RuntimeException e) {
      String at = e instanceof DatabindException databind ? path(databind) : "";
      throw bindingFailure(
          id,
          name,
          "the payload does not convert to "
              + type.getRawClass().getSimpleName()
              + (at.isEmpty() ? "" : " (at '" + at + "')"));
    }
  }

  /** The JSON path of a conversion failure, e.g. {@code items[2].quantity}. */
  private static String path(DatabindException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  static IIIException bindingFailure(String id, String name, @Nullable String reason) {
    return new BindingFailure("parameter '" + name + "' of " + id + " cannot be bound: " + reason);
  }
}
