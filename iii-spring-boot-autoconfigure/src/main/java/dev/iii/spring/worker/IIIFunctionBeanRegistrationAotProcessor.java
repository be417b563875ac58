package dev.iii.spring.worker;

import dev.iii.ApiResponse;
import dev.iii.Context;
import dev.iii.IIIClient;
import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import dev.iii.spring.annotation.IIIFunction;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Registers, at build time, the reflection a native image needs for each bean's {@link IIIFunction}
 * methods: the methods themselves (the starter calls them reflectively) and the types Jackson and
 * the schema generator bind to their payload parameters and results (records, beans and their
 * generic arguments, found recursively). Parameters the starter supplies itself ({@code Context},
 * {@code IIIClient}, channels) are left out, and {@code CompletionStage}, {@code Mono}, {@code
 * Optional} results are unwrapped to the value they carry ({@code ApiResponse}, whose body is any
 * value, is covered by {@link dev.iii.spring.boot.autoconfigure.IIIRuntimeHints}). Registered
 * through {@code META-INF/spring/aot.factories}, as Spring Kafka does for {@code @KafkaListener}.
 *
 * <p>Stateless.
 */
public final class IIIFunctionBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

  /** Creates the processor; Spring's AOT engine does, from {@code aot.factories}. */
  public IIIFunctionBeanRegistrationAotProcessor() {}

  @Override
  public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean bean) {
    Class<?> beanClass = bean.getBeanClass();
    if (!AnnotationUtils.isCandidateClass(beanClass, IIIFunction.class)) {
      return null;
    }
    Map<Method, IIIFunction> methods =
        MethodIntrospector.selectMethods(
            beanClass,
            (MethodIntrospector.MetadataLookup<IIIFunction>)
                method -> AnnotatedElementUtils.findMergedAnnotation(method, IIIFunction.class));
    if (methods.isEmpty()) {
      return null;
    }
    List<Method> functions = List.copyOf(methods.keySet());
    return (generationContext, code) ->
        registerHints(generationContext.getRuntimeHints().reflection(), beanClass, functions);
  }

  /** The hints for the given {@code @IIIFunction} methods of {@code beanClass}. */
  static void registerHints(ReflectionHints hints, Class<?> beanClass, List<Method> methods) {
    List<Type> bound = new ArrayList<>();
    for (Method method : methods) {
      hints.registerMethod(method, ExecutableMode.INVOKE);
      for (int i = 0; i < method.getParameterCount(); i++) {
        ResolvableType type = ResolvableType.forMethodParameter(method, i, beanClass);
        if (!suppliedByTheStarter(type.resolve(Object.class))) {
          addBound(bound, type);
        }
      }
      addBound(bound, carried(ResolvableType.forMethodReturnType(method, beanClass)));
    }
    new BindingReflectionHintsRegistrar()
        .registerReflectionHints(hints, bound.toArray(Type[]::new));
  }

  private static boolean suppliedByTheStarter(Class<?> raw) {
    return raw == Context.class
        || IIIClient.class.isAssignableFrom(raw)
        || raw == ChannelReader.class
        || raw == ChannelWriter.class;
  }

  /** The value a result carries: futures, {@code Mono} and {@code Optional} unwrapped. */
  private static ResolvableType carried(ResolvableType type) {
    Class<?> raw = type.resolve(Object.class);
    if (CompletionStage.class.isAssignableFrom(raw)) {
      return carried(type.as(CompletionStage.class).getGeneric(0));
    }
    if (Mono.class.isAssignableFrom(raw)) {
      return carried(type.as(Mono.class).getGeneric(0));
    }
    if (raw == Optional.class) {
      return carried(type.getGeneric(0));
    }
    return type;
  }

  private static void addBound(List<Type> bound, ResolvableType type) {
    Class<?> raw = type.resolve();
    if (raw == null
        || raw.isPrimitive()
        || raw == Void.class
        || raw == Object.class
        || ApiResponse.class.isAssignableFrom(raw)
        || JsonNode.class.isAssignableFrom(raw)) {
      return;
    }
    Type concrete = FunctionEndpointFactory.concrete(type);
    if (concrete != null) {
      bound.add(concrete);
    }
  }
}
