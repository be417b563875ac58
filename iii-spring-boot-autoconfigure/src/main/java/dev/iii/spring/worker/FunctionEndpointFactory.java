package dev.iii.spring.worker;

import dev.iii.ApiResponse;
import dev.iii.channel.ChannelWriter;
import dev.iii.spring.annotation.IIIFunction;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.core.convert.ConversionService;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an {@code @IIIFunction} method into an {@link IIIFunctionEndpoint}: resolves placeholders,
 * validates the signature and the triggers, and picks each parameter's binding. Every problem is
 * reported at startup, naming the bean and the method.
 *
 * <p>Triggers are read by {@link TriggerDefinitions}, parameters bound by {@link
 * ArgumentResolvers}. Stateless apart from its immutable collaborators; used at startup.
 */
final class FunctionEndpointFactory {

  /** Reads the schemas of {@code requestFormat}/{@code responseFormat}. */
  private static final JsonMapper CONFIG_READER = JsonMapper.builder().build();

  private final UnaryOperator<String> placeholders;
  private final Supplier<IIIErrorResponses> errorResponses;
  private final TriggerDefinitions triggerDefinitions;
  private final ArgumentResolvers argumentResolvers;
  private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

  /**
   * @param placeholders resolves {@code ${…}} in annotation attributes
   * @param mapper the application's mapper, asked for only when a method is found
   * @param errorResponses how failures are answered over HTTP, asked for only when a method is
   *     found
   * @param conversions converts path, query and header values, asked for only when one is bound
   * @param validator the application's {@code jakarta.validation.Validator} or {@code null}, asked
   *     for only when a parameter is {@code @Valid}
   */
  FunctionEndpointFactory(
      UnaryOperator<String> placeholders,
      Supplier<JsonMapper> mapper,
      Supplier<IIIErrorResponses> errorResponses,
      Supplier<ConversionService> conversions,
      Supplier<@Nullable Object> validator) {
    this.placeholders = placeholders;
    this.errorResponses = errorResponses;
    this.triggerDefinitions = new TriggerDefinitions(placeholders);
    this.argumentResolvers =
        new ArgumentResolvers(mapper, conversions, new PayloadValidation(validator));
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
    List<TriggerDefinition> triggers = triggerDefinitions.of(source, method);
    checkReturnType(source, method);
    List<String> httpPaths = triggerDefinitions.httpPaths(method);
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
      ArgumentResolvers.Binding binding =
          argumentResolvers.bind(
              new ArgumentResolvers.Parameter(source, id, method, i, targetClass, name, httpPaths));
      if (binding.payload()) {
        payloadParameters.add(name);
        payloadType = concrete(raw == Optional.class ? type.getGeneric(0) : type);
      }
      resolvers.add(binding.resolver());
    }
    if (payloadParameters.size() > 1) {
      throw invalid(
          source,
          "parameters "
              + payloadParameters
              + " would all take the payload; only one parameter may be the payload (mark it"
              + " @Body; the others must be ApiRequest, Context, IIIClient, ChannelReader,"
              + " ChannelWriter, or @PathParam, @QueryParam or @Header)");
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

  private static boolean isReactive(Class<?> type) {
    return Publisher.class.isAssignableFrom(type) || Flow.Publisher.class.isAssignableFrom(type);
  }

  private String resolve(String value) {
    String resolved = placeholders.apply(value);
    return resolved == null ? value : resolved;
  }

  static IllegalStateException invalid(String source, String reason) {
    return new IllegalStateException("Invalid @IIIFunction method " + source + ": " + reason);
  }
}
