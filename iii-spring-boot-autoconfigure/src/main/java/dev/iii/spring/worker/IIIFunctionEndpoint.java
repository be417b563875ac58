package dev.iii.spring.worker;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An {@code @IIIFunction} bean method, validated and ready to register: its id, triggers and the
 * argument binding chosen for each parameter when the application started. Immutable.
 */
public final class IIIFunctionEndpoint {

  private final String id;
  private final String description;
  private final String beanName;
  private final Object bean;
  private final Method method;
  private final Method invocableMethod;
  private final List<TriggerDefinition> triggers;
  private final List<ArgumentResolver> argumentResolvers;
  private final boolean streamsResponse;
  private final FunctionSchemas schemas;
  private final IIIErrorResponses errorResponses;

  IIIFunctionEndpoint(
      String id,
      String description,
      String beanName,
      Object bean,
      Method method,
      Method invocableMethod,
      List<TriggerDefinition> triggers,
      List<ArgumentResolver> argumentResolvers,
      boolean streamsResponse,
      FunctionSchemas schemas,
      IIIErrorResponses errorResponses) {
    this.id = Objects.requireNonNull(id, "id");
    this.description = Objects.requireNonNull(description, "description");
    this.beanName = Objects.requireNonNull(beanName, "beanName");
    this.bean = Objects.requireNonNull(bean, "bean");
    this.method = Objects.requireNonNull(method, "method");
    this.invocableMethod = Objects.requireNonNull(invocableMethod, "invocableMethod");
    this.triggers = List.copyOf(triggers);
    this.argumentResolvers = List.copyOf(argumentResolvers);
    this.streamsResponse = streamsResponse;
    this.schemas = Objects.requireNonNull(schemas, "schemas");
    this.errorResponses = Objects.requireNonNull(errorResponses, "errorResponses");
  }

  /** The function id, placeholders resolved. */
  public String id() {
    return id;
  }

  /** The description shown in function listings; empty when none was given. */
  public String description() {
    return description;
  }

  /** The name of the bean declaring the method. */
  public String beanName() {
    return beanName;
  }

  /** The annotated method, as declared on the bean's target class. */
  public Method method() {
    return method;
  }

  /** The triggers registered for the function, placeholders resolved. */
  public List<TriggerDefinition> triggers() {
    return triggers;
  }

  /**
   * The generic type of the parameter that takes the payload (the request body for HTTP), whose
   * JSON Schema is the function's {@code request_format} unless the annotation gives one; {@code
   * null} when no parameter takes the payload.
   */
  public @Nullable Type payloadType() {
    return schemas.payloadType();
  }

  /**
   * The type of the result as written ({@code CompletionStage}, {@code Mono} and {@code Optional}
   * unwrapped), whose JSON Schema is the function's {@code response_format} unless the annotation
   * gives one; {@code null} when there is nothing to describe ({@code void}, {@code ApiResponse},
   * {@code Object}, {@code JsonNode}).
   */
  public @Nullable Type resultType() {
    return schemas.resultType();
  }

  FunctionSchemas schemas() {
    return schemas;
  }

  /** Whether the function has an HTTP trigger. */
  public boolean hasHttpTrigger() {
    return triggers.stream().anyMatch(TriggerDefinition::isHttp);
  }

  /** {@code Bean#method}, as startup errors and logs name it. */
  public String source() {
    return source(beanName, method);
  }

  static String source(String beanName, Method method) {
    return beanName + "#" + method.getName();
  }

  /** The bean to invoke, the proxy if there is one, so its advice (transactions…) applies. */
  Object bean() {
    return bean;
  }

  /** The method to call on {@link #bean()}. */
  Method invocableMethod() {
    return invocableMethod;
  }

  /** How failures are answered over HTTP, and the application's error handler. */
  IIIErrorResponses errorResponses() {
    return errorResponses;
  }

  List<ArgumentResolver> argumentResolvers() {
    return argumentResolvers;
  }

  /**
   * Whether a {@code null} result of an HTTP invocation means the method wrote the response through
   * the response channel itself (it takes a {@code ChannelWriter}) rather than "no content". Taking
   * an {@code ApiRequest} is not enough: most methods read it without streaming; those that stream
   * through {@code ApiRequest.stream()} are recognised when the invocation ends.
   */
  boolean streamsResponse() {
    return streamsResponse;
  }

  /** {@code orders::create -> Orders#create [http POST /orders]}. */
  @Override
  public String toString() {
    String bindings =
        triggers.isEmpty()
            ? ""
            : triggers.stream()
                .map(TriggerDefinition::summary)
                .collect(Collectors.joining(", ", " [", "]"));
    Class<?> type = method.getDeclaringClass();
    String typeName = type.isAnonymousClass() ? type.getName() : type.getSimpleName();
    return id + " -> " + typeName + "#" + method.getName() + bindings;
  }
}
