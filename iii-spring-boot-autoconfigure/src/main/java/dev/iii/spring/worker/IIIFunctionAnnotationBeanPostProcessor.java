package dev.iii.spring.worker;

import dev.iii.spring.annotation.CronTrigger;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.HttpTriggers;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.annotation.QueueTrigger;
import dev.iii.spring.annotation.StateTrigger;
import dev.iii.spring.annotation.StreamTrigger;
import dev.iii.spring.annotation.Subscribe;
import dev.iii.spring.annotation.Trigger;
import dev.iii.spring.annotation.Triggers;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds {@link IIIFunction} methods on beans, validates them and hands an {@link
 * IIIFunctionEndpoint} for each to the {@link IIIFunctionRegistry} (Spring Kafka's {@code
 * KafkaListenerAnnotationBeanPostProcessor} is the model).
 *
 * <p>Methods are looked up on the bean's target class with merged annotations, so proxies,
 * meta-annotations and repeated triggers all work, and are invoked through the proxy, so advice
 * such as transactions applies. Invalid methods and duplicate ids fail startup with a message
 * naming the bean and the method, and so do two methods on one HTTP route and method, and a trigger
 * annotation on a method without {@code @IIIFunction}. Endpoints found while singletons are created
 * are buffered and handed over once all singletons exist; later ones (lazy beans) are handed over
 * at once.
 *
 * <p>It looks the registry and the {@link JsonMapper} up lazily, never injecting the client, so
 * declaring it does not create the client (or anything it depends on) before other beans are
 * post-processed. Declare it with a {@code static @Bean} method.
 */
public class IIIFunctionAnnotationBeanPostProcessor
    implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

  /** The bean name under which the auto-configuration declares this post-processor. */
  public static final String BEAN_NAME = "dev.iii.spring.worker.internalIIIFunctionProcessor";

  private static final List<Class<? extends Annotation>> TRIGGERS =
      List.of(
          HttpTrigger.class,
          CronTrigger.class,
          Subscribe.class,
          StateTrigger.class,
          StreamTrigger.class,
          QueueTrigger.class,
          Trigger.class);

  private static final Set<Class<? extends Annotation>> ANNOTATIONS =
      Set.of(
          IIIFunction.class,
          HttpTrigger.class,
          HttpTriggers.class,
          CronTrigger.class,
          Subscribe.class,
          StateTrigger.class,
          StreamTrigger.class,
          QueueTrigger.class,
          Trigger.class,
          Triggers.class);

  private static final Logger log =
      LoggerFactory.getLogger(IIIFunctionAnnotationBeanPostProcessor.class);

  private final Set<Class<?>> classesWithoutFunctions = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private final Map<String, String> sourcesById = new HashMap<>();
  private final Map<String, String> sourcesByRoute = new HashMap<>();
  private final List<IIIFunctionEndpoint> pending = new ArrayList<>();
  private @Nullable ConfigurableBeanFactory beanFactory;
  private @Nullable FunctionEndpointFactory endpointFactory;
  private @Nullable IIIFunctionRegistry registry;
  private boolean singletonsInstantiated;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
    Assert.isInstanceOf(
        ConfigurableBeanFactory.class, beanFactory, "@IIIFunction needs a ConfigurableBeanFactory");
    ConfigurableBeanFactory factory = (ConfigurableBeanFactory) beanFactory;
    this.beanFactory = factory;
    this.endpointFactory =
        new FunctionEndpointFactory(
            factory::resolveEmbeddedValue,
            SingletonSupplier.of(
                () ->
                    factory
                        .getBeanProvider(JsonMapper.class)
                        .getIfUnique(() -> JsonMapper.builder().build())),
            SingletonSupplier.of(
                () ->
                    factory
                        .getBeanProvider(IIIErrorResponses.class)
                        .getIfUnique(IIIErrorResponses::defaults)),
            SingletonSupplier.of(
                () -> {
                  ConversionService conversions = factory.getConversionService();
                  return conversions != null
                      ? conversions
                      : ApplicationConversionService.getSharedInstance();
                }),
            () -> PayloadValidation.validatorOf(factory));
  }

  @Override
  public int getOrder() {
    return LOWEST_PRECEDENCE;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    Class<?> targetClass = AopUtils.getTargetClass(bean);
    if (classesWithoutFunctions.contains(targetClass)
        || !AnnotationUtils.isCandidateClass(targetClass, ANNOTATIONS)) {
      return bean;
    }
    checkNoTriggerWithoutFunction(beanName, targetClass);
    Map<Method, IIIFunction> methods =
        MethodIntrospector.selectMethods(
            targetClass,
            (MethodIntrospector.MetadataLookup<IIIFunction>)
                method -> AnnotatedElementUtils.findMergedAnnotation(method, IIIFunction.class));
    if (methods.isEmpty()) {
      classesWithoutFunctions.add(targetClass);
      return bean;
    }
    FunctionEndpointFactory factory = endpointFactory;
    Assert.state(factory != null, "setBeanFactory was not called");
    List<Map.Entry<Method, IIIFunction>> sorted = new ArrayList<>(methods.entrySet());
    // Declaration order is not stable through reflection; sort so logs and errors are repeatable.
    sorted.sort(
        Map.Entry.comparingByKey((a, b) -> a.toGenericString().compareTo(b.toGenericString())));
    for (Map.Entry<Method, IIIFunction> entry : sorted) {
      IIIFunctionEndpoint endpoint =
          factory.create(beanName, bean, targetClass, entry.getKey(), entry.getValue());
      accept(endpoint);
    }
    return bean;
  }

  /**
   * A trigger annotation without {@code @IIIFunction} fails startup rather than being ignored: a
   * function needs an id the application chooses, as other workers call it by that id.
   */
  private static void checkNoTriggerWithoutFunction(String beanName, Class<?> targetClass) {
    Map<Method, String> orphans =
        MethodIntrospector.selectMethods(
            targetClass,
            (MethodIntrospector.MetadataLookup<String>)
                method -> {
                  if (AnnotatedElementUtils.hasAnnotation(method, IIIFunction.class)) {
                    return null;
                  }
                  for (Class<? extends Annotation> trigger : TRIGGERS) {
                    if (AnnotatedElementUtils.hasAnnotation(method, trigger)) {
                      return "@" + trigger.getSimpleName();
                    }
                  }
                  return null;
                });
    if (!orphans.isEmpty()) {
      Map.Entry<Method, String> first = orphans.entrySet().iterator().next();
      throw new IllegalStateException(
          "Invalid method "
              + IIIFunctionEndpoint.source(beanName, first.getKey())
              + ": "
              + first.getValue()
              + " needs @IIIFunction(id = \"…\") on the same method; without it nothing would be"
              + " registered");
    }
  }

  /** {@code POST /items/:} for {@code POST /items/:id}: routes the engine cannot tell apart. */
  private static List<String> routeKeys(IIIFunctionEndpoint endpoint) {
    List<String> keys = new ArrayList<>();
    for (TriggerDefinition trigger : endpoint.triggers()) {
      if (trigger.isHttp()
          && trigger.config().get("api_path") instanceof String path
          && trigger.config().get("http_method") instanceof String method) {
        StringBuilder key = new StringBuilder(method).append(' ');
        for (String segment : path.replaceAll("^/+", "").split("/", -1)) {
          key.append('/').append(segment.startsWith(":") ? ":" : segment);
        }
        keys.add(key.toString());
      }
    }
    return keys;
  }

  private void accept(IIIFunctionEndpoint endpoint) {
    IIIFunctionRegistry target;
    synchronized (lock) {
      for (String route : routeKeys(endpoint)) {
        String existing = sourcesByRoute.get(route);
        if (existing != null && !existing.equals(endpoint.source())) {
          throw new IllegalStateException(
              "Duplicate @HttpTrigger route "
                  + route
                  + ": declared by "
                  + existing
                  + " and "
                  + endpoint.source());
        }
      }
      routeKeys(endpoint).forEach(route -> sourcesByRoute.put(route, endpoint.source()));
      String existing = sourcesById.putIfAbsent(endpoint.id(), endpoint.source());
      if (existing != null) {
        throw new IllegalStateException(
            "Duplicate @IIIFunction id '"
                + endpoint.id()
                + "': declared by "
                + existing
                + " and "
                + endpoint.source());
      }
      if (!singletonsInstantiated) {
        pending.add(endpoint);
        return;
      }
      target = registry();
    }
    handOver(target, endpoint);
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<IIIFunctionEndpoint> endpoints;
    IIIFunctionRegistry target;
    synchronized (lock) {
      singletonsInstantiated = true;
      endpoints = new ArrayList<>(pending);
      pending.clear();
      target = registry();
    }
    endpoints.forEach(endpoint -> handOver(target, endpoint));
    if (target == null && !endpoints.isEmpty()) {
      log.warn(
          "Found {} @IIIFunction method(s) but no IIIFunctionRegistry bean; none is registered",
          endpoints.size());
    }
  }

  private void handOver(@Nullable IIIFunctionRegistry target, IIIFunctionEndpoint endpoint) {
    if (target == null) {
      return;
    }
    target.register(endpoint);
    if (target.isEnabled()) {
      log.info("iii function {}", endpoint);
    } else {
      log.info(
          "iii function {} (not registered: iii.worker.enabled=false, or the IIIClient is a mock)",
          endpoint);
    }
  }

  /** The registry, looked up once all singletons exist (it depends on the client). */
  private @Nullable IIIFunctionRegistry registry() {
    if (registry == null && beanFactory != null) {
      registry = beanFactory.getBeanProvider(IIIFunctionRegistry.class).getIfUnique();
    }
    return registry;
  }
}
