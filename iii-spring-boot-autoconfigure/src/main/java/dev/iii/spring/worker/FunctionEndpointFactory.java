package dev.iii.spring.worker;

import dev.iii.ApiRequest;
import dev.iii.ApiResponse;
import dev.iii.Context;
import dev.iii.IIIClient;
import dev.iii.IIIException;
import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import dev.iii.protocol.WireFields;
import dev.iii.spring.annotation.CronTrigger;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.annotation.Trigger;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.BaseStream;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an {@code @IIIFunction} method into an {@link IIIFunctionEndpoint}: resolves placeholders,
 * validates the signature and the triggers, and picks each parameter's binding. Every problem is
 * reported at startup, naming the bean and the method.
 *
 * <p>Over 400 lines because every check of one method (signature, parameters, triggers, paths,
 * placeholders) lives here, so that startup errors read alike; the HTTP trigger checks are the part
 * to move out next. Stateless apart from its immutable collaborators; used at startup.
 */
final class FunctionEndpointFactory {

  private static final List<String> HTTP_METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  /** Reads {@code @Trigger(config)}; independent of the application's mapper settings. */
  private static final JsonMapper CONFIG_READER = JsonMapper.builder().build();

  private final UnaryOperator<String> placeholders;
  private final Supplier<JsonMapper> mapper;
  private final Supplier<IIIErrorResponses> errorResponses;
  private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

  /**
   * @param placeholders resolves {@code ${…}} in annotation attributes
   * @param mapper the application's mapper, asked for only when a method is found
   * @param errorResponses how failures are answered over HTTP, asked for only when a method is
   *     found
   */
  FunctionEndpointFactory(
      UnaryOperator<String> placeholders,
      Supplier<JsonMapper> mapper,
      Supplier<IIIErrorResponses> errorResponses) {
    this.placeholders = placeholders;
    this.mapper = mapper;
    this.errorResponses = errorResponses;
  }

  /** A factory with safe error responses and no error handler. */
  FunctionEndpointFactory(UnaryOperator<String> placeholders, Supplier<JsonMapper> mapper) {
    this(placeholders, mapper, IIIErrorResponses::defaults);
  }

  IIIFunctionEndpoint create(
      String beanName, Object bean, Class<?> targetClass, Method method, IIIFunction annotation) {
    String source = IIIFunctionEndpoint.source(beanName, method);
    if (Modifier.isPrivate(method.getModifiers())) {
      throw invalid(source, "it must not be private");
    }
    if (Modifier.isStatic(method.getModifiers())) {
      throw invalid(source, "it must not be static");
    }
    String id = resolve(annotation.id());
    if (id.isBlank()) {
      throw invalid(source, "the function id is empty");
    }
    Method invocable;
    try {
      invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
    } catch (IllegalStateException e) {
      throw invalid(source, "it cannot be called through the bean's proxy: " + e.getMessage());
    }
    List<TriggerDefinition> triggers = triggers(source, method);
    checkReturnType(source, method);
    List<ArgumentResolver> resolvers = new ArrayList<>();
    boolean streamsResponse = false;
    List<String> payloadParameters = new ArrayList<>();
    Type payloadType = null;
    String[] names = parameterNames.getParameterNames(method);
    for (int i = 0; i < method.getParameterCount(); i++) {
      ResolvableType type = ResolvableType.forMethodParameter(method, i, targetClass);
      Class<?> raw = type.resolve(Object.class);
      String name = names != null ? names[i] : "arg" + i;
      streamsResponse |= raw == ChannelWriter.class;
      if (isReactive(raw)) {
        throw invalid(
            source, "parameter '" + name + "' has a reactive type, which cannot be an argument");
      }
      ArgumentResolver resolver = special(id, type, raw, name);
      if (resolver == null) {
        payloadParameters.add(name);
        payloadType = concrete(type);
        resolver = payload(id, type, raw, name, isNullable(method, i));
      }
      resolvers.add(resolver);
    }
    if (payloadParameters.size() > 1) {
      throw invalid(
          source,
          "parameters "
              + payloadParameters
              + " would all take the payload; only one parameter may be the payload (the others"
              + " must be ApiRequest, Context, IIIClient, ChannelReader or ChannelWriter)");
    }
    String description = resolve(annotation.description());
    FunctionSchemas schemas =
        new FunctionSchemas(
            format(source, "requestFormat", annotation.requestFormat()),
            format(source, "responseFormat", annotation.responseFormat()),
            payloadType,
            resultType(method, targetClass),
            annotation.generateSchemas());
    return new IIIFunctionEndpoint(
        id,
        description,
        beanName,
        bean,
        method,
        invocable,
        triggers,
        resolvers,
        streamsResponse,
        schemas,
        errorResponses.get());
  }

  /** An explicit format of the annotation: {@code null} when empty, else a JSON object. */
  private @Nullable JsonNode format(String source, String attribute, String value) {
    String text = resolve(value);
    if (text.isBlank()) {
      return null;
    }
    JsonNode schema;
    try {
      schema = CONFIG_READER.readTree(text);
    } catch (RuntimeException e) {
      throw invalid(source, attribute + " is not JSON: " + e.getMessage());
    }
    if (schema == null || !schema.isObject()) {
      throw invalid(source, attribute + " is not a JSON object (a JSON Schema): " + text);
    }
    return schema;
  }

  /**
   * The type a result is written as, for its JSON Schema: the generic return type with {@code
   * CompletionStage}, {@code Mono} and {@code Optional} unwrapped; {@code null} when there is
   * nothing to describe ({@code void}, {@code ApiResponse} whose body is free, any value).
   */
  static @Nullable Type resultType(Method method, Class<?> targetClass) {
    ResolvableType type = ResolvableType.forMethodReturnType(method, targetClass);
    Class<?> raw = type.resolve(Object.class);
    if (CompletionStage.class.isAssignableFrom(raw)) {
      type = type.as(CompletionStage.class).getGeneric(0);
    } else if (Mono.class.isAssignableFrom(raw)) {
      type = type.as(Mono.class).getGeneric(0);
    }
    if (type.resolve(Object.class) == Optional.class) {
      type = type.getGeneric(0);
    }
    Class<?> result = type.resolve();
    if (result == null
        || result == void.class
        || result == Void.class
        || result == Object.class
        || ApiResponse.class.isAssignableFrom(result)
        || JsonNode.class.isAssignableFrom(result)) {
      return null;
    }
    return concrete(type);
  }

  /**
   * {@code type} as a {@link Type} without type variables (those of generic supertypes and of the
   * bean class resolved; unresolvable ones as {@code Object}), as schema generators need it; {@code
   * null} when not even the class is known.
   */
  static @Nullable Type concrete(ResolvableType type) {
    Class<?> raw = type.resolve();
    if (raw == null) {
      return null;
    }
    if (raw.isArray()) {
      Type component = concrete(type.getComponentType());
      return component instanceof Class<?> c ? c.arrayType() : raw;
    }
    ResolvableType[] generics = type.getGenerics();
    if (generics.length == 0) {
      return raw;
    }
    ResolvableType[] arguments = new ResolvableType[generics.length];
    for (int i = 0; i < generics.length; i++) {
      Type argument = concrete(generics[i]);
      arguments[i] = ResolvableType.forType(argument != null ? argument : Object.class);
    }
    return ResolvableType.forClassWithGenerics(raw, arguments).getType();
  }

  private List<TriggerDefinition> triggers(String source, Method method) {
    List<TriggerDefinition> triggers = new ArrayList<>();
    for (HttpTrigger http :
        AnnotatedElementUtils.findMergedRepeatableAnnotations(method, HttpTrigger.class)) {
      String path = enginePath(resolve(http.path()));
      String httpMethod = resolve(http.method()).toUpperCase(Locale.ROOT);
      if (!HTTP_METHODS.contains(httpMethod)) {
        throw invalid(
            source, "@HttpTrigger method '" + http.method() + "' is not one of " + HTTP_METHODS);
      }
      if (path.isBlank()) {
        throw invalid(source, "@HttpTrigger path is empty");
      }
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("api_path", path);
      config.put("http_method", httpMethod);
      StringBuilder summary = new StringBuilder("http " + httpMethod + " " + path);
      String condition = condition(config, summary, http.condition());
      List<String> middleware = new ArrayList<>();
      for (String functionId : http.middleware()) {
        String resolved = resolve(functionId);
        if (resolved.isBlank()) {
          throw invalid(source, "@HttpTrigger(path = \"" + path + "\") has an empty middleware id");
        }
        middleware.add(resolved);
      }
      if (!middleware.isEmpty()) {
        config.put("middleware_function_ids", List.copyOf(middleware));
        summary.append(condition == null ? " " : ", ").append("middleware ").append(middleware);
      }
      triggers.add(new TriggerDefinition("http", config, summary.toString()));
    }
    CronTrigger cron = AnnotatedElementUtils.findMergedAnnotation(method, CronTrigger.class);
    if (cron != null) {
      String expression = resolve(cron.value());
      if (expression.isBlank()) {
        throw invalid(source, "@CronTrigger expression is empty");
      }
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("expression", expression);
      StringBuilder summary = new StringBuilder("cron " + expression);
      condition(config, summary, cron.condition());
      triggers.add(new TriggerDefinition("cron", config, summary.toString()));
    }
    for (Trigger trigger :
        AnnotatedElementUtils.findMergedRepeatableAnnotations(method, Trigger.class)) {
      String type = resolve(trigger.type());
      if (type.isBlank()) {
        throw invalid(source, "@Trigger type is empty");
      }
      String config = resolve(trigger.config());
      Map<String, Object> parsed;
      try {
        parsed =
            CONFIG_READER.readValue(config, new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (RuntimeException e) {
        throw invalid(
            source, "@Trigger(type = \"" + type + "\") config is not a JSON object: " + config);
      }
      if (parsed == null) {
        throw invalid(
            source, "@Trigger(type = \"" + type + "\") config is not a JSON object: " + config);
      }
      triggers.add(new TriggerDefinition(type, parsed, type + " " + config));
    }
    return triggers;
  }

  /**
   * The path in the engine's syntax: Spring's {@code {id}} segments become {@code :id}, which the
   * engine extracts into {@code path_params} (it routes {@code {id}} but yields no parameter).
   */
  static String enginePath(String path) {
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")) {
        segments[i] = ":" + segment.substring(1, segment.length() - 1);
      }
    }
    return String.join("/", segments);
  }

  /** Adds a trigger's {@code condition_function_id}, if the annotation names one. */
  private @Nullable String condition(
      Map<String, Object> config, StringBuilder summary, String annotated) {
    String condition = resolve(annotated);
    if (condition.isBlank()) {
      return null;
    }
    config.put("condition_function_id", condition);
    summary.append(" if ").append(condition);
    return condition;
  }

  private static void checkReturnType(String source, Method method) {
    Class<?> returnType = method.getReturnType();
    if (BaseStream.class.isAssignableFrom(returnType)
        || (isReactive(returnType) && !Mono.class.isAssignableFrom(returnType))) {
      throw invalid(
          source,
          "return type "
              + returnType.getSimpleName()
              + " is not supported (streams cannot be returned; use a value, CompletionStage or"
              + " Mono)");
    }
  }

  /**
   * Whether a parameter is annotated {@code @Nullable} (any annotation of that simple name): its
   * HTTP request body may then be missing.
   */
  private static boolean isNullable(Method method, int index) {
    for (java.lang.annotation.Annotation annotation : method.getParameterAnnotations()[index]) {
      if (annotation.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return method.getAnnotatedParameterTypes()[index].isAnnotationPresent(Nullable.class);
  }

  private static boolean isReactive(Class<?> type) {
    return Publisher.class.isAssignableFrom(type) || Flow.Publisher.class.isAssignableFrom(type);
  }

  /** The binding of a parameter resolved by its type, or {@code null} for the payload. */
  private @Nullable ArgumentResolver special(
      String id, ResolvableType type, Class<?> raw, String name) {
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
      return apiRequest(id, type.getGeneric(0), name);
    }
    if (raw == ChannelReader.class || raw == ChannelWriter.class) {
      return input -> channel(id, raw, name, input.raw());
    }
    return null;
  }

  private ArgumentResolver apiRequest(String id, ResolvableType bodyType, String name) {
    Class<?> rawBody = bodyType.resolve(Object.class);
    JavaType javaBody =
        rawBody == Object.class ? null : mapper.get().constructType(bodyType.getType());
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
      return new ApiRequest<>(
          request.pathParams(),
          request.queryParams(),
          convert(id, name, request.body(), javaBody),
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

  private ArgumentResolver payload(
      String id, ResolvableType type, Class<?> raw, String name, boolean optionalBody) {
    JavaType javaType = mapper.get().constructType(type.getType());
    return input -> {
      Object value = input.payload();
      if (value instanceof Map<?, ?> map && map.containsKey(WireFields.CALLER_WORKER_ID)) {
        // The engine adds the caller's id to object inputs; it is not part of the payload type.
        Map<Object, Object> copy = new LinkedHashMap<>(map);
        copy.remove(WireFields.CALLER_WORKER_ID);
        value = copy;
      }
      if (value == null && input.httpRequest() != null && !optionalBody) {
        throw bindingFailure(
            id,
            name,
            "the request body is missing; send a JSON body with content-type: application/json");
      }
      if (value == null) {
        if (raw.isPrimitive()) {
          throw bindingFailure(id, name, "the payload is missing and " + raw + " cannot be null");
        }
        return null;
      }
      return raw == Object.class ? value : convert(id, name, value, javaType);
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

  private String resolve(String value) {
    String resolved = placeholders.apply(value);
    return resolved == null ? value : resolved;
  }

  private static IllegalStateException invalid(String source, String reason) {
    return new IllegalStateException("Invalid @IIIFunction method " + source + ": " + reason);
  }
}
