package dev.iii.spring.boot.autoconfigure;

import dev.iii.ApiRequest;
import dev.iii.ApiResponse;
import dev.iii.EnqueueResult;
import dev.iii.protocol.ChannelRef;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.FunctionDetail;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.Message;
import dev.iii.protocol.RegisteredTriggerInfo;
import dev.iii.protocol.TriggerTypeInfo;
import dev.iii.protocol.WorkerDetail;
import dev.iii.protocol.WorkerInfo;
import dev.iii.spring.annotation.Body;
import dev.iii.spring.annotation.CronTrigger;
import dev.iii.spring.annotation.Header;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.HttpTriggers;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.annotation.PathParam;
import dev.iii.spring.annotation.QueryParam;
import dev.iii.spring.annotation.QueueTrigger;
import dev.iii.spring.annotation.StateTrigger;
import dev.iii.spring.annotation.StreamTrigger;
import dev.iii.spring.annotation.Subscribe;
import dev.iii.spring.annotation.Trigger;
import dev.iii.spring.annotation.Triggers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The reflection a native image of an iii application needs whatever its functions are: Jackson
 * reads and writes the protocol's messages (every {@link Message} record and the records they
 * hold), channel references, error bodies and the client's own result types. Registered through
 * {@code META-INF/spring/aot.factories}. The starter's annotations get their attribute methods
 * registered too: Spring reads merged and repeated annotations ({@code @HttpTrigger} in its
 * {@code @HttpTriggers} container) by calling those methods reflectively. The hints for the
 * application's own {@code @IIIFunction} methods and payload types come from {@link
 * dev.iii.spring.worker.IIIFunctionBeanRegistrationAotProcessor}.
 *
 * <p>Stateless.
 */
public final class IIIRuntimeHints implements RuntimeHintsRegistrar {

  /** Types Jackson binds besides the messages (and what they reference, found recursively). */
  private static final List<Class<?>> BOUND_TYPES =
      List.of(
          ChannelRef.class,
          ErrorBody.class,
          FunctionInfo.class,
          FunctionDetail.class,
          WorkerInfo.class,
          WorkerDetail.class,
          TriggerTypeInfo.class,
          RegisteredTriggerInfo.class,
          ApiRequest.class,
          ApiResponse.class,
          EnqueueResult.class);

  /** Annotations whose attributes Spring reads reflectively (merged, repeated, aliased). */
  private static final List<Class<?>> ANNOTATIONS =
      List.of(
          IIIFunction.class,
          HttpTrigger.class,
          HttpTriggers.class,
          CronTrigger.class,
          Subscribe.class,
          StateTrigger.class,
          StreamTrigger.class,
          QueueTrigger.class,
          Trigger.class,
          Triggers.class,
          PathParam.class,
          QueryParam.class,
          Header.class,
          Body.class);

  /** Creates the registrar; Spring's AOT engine does, from {@code aot.factories}. */
  public IIIRuntimeHints() {}

  @Override
  public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    List<Class<?>> types = new ArrayList<>(BOUND_TYPES);
    Class<?>[] messages = Message.class.getPermittedSubclasses();
    if (messages != null) {
      types.addAll(Arrays.asList(messages));
    }
    new BindingReflectionHintsRegistrar()
        .registerReflectionHints(hints.reflection(), types.toArray(Class<?>[]::new));
    for (Class<?> annotation : ANNOTATIONS) {
      hints.reflection().registerType(annotation, MemberCategory.INVOKE_PUBLIC_METHODS);
    }
  }
}
