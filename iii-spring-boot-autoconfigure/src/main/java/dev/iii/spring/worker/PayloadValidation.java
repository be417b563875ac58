package dev.iii.spring.worker;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.lang.annotation.Annotation;
import java.util.Comparator;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Bean Validation of payload parameters annotated {@code @Valid} or {@code @Validated}, with the
 * application's {@code jakarta.validation.Validator} (which {@code spring-boot-starter-validation}
 * provides). A parameter asking for validation in an application without a validator fails startup
 * rather than going unchecked. Violations become a {@link BindingFailure} (400 over HTTP) naming
 * each property and its constraint's message. Immutable.
 *
 * <p>The Jakarta types are touched only when such a parameter exists, so the starter runs without
 * Bean Validation on the classpath.
 */
final class PayloadValidation {

  /** Checks one converted payload; throws a {@link BindingFailure} when it is not valid. */
  @FunctionalInterface
  interface Check {
    void validate(@Nullable Object value);
  }

  private static final Check NONE = value -> {};

  private static final String VALID = "jakarta.validation.Valid";

  private final Supplier<@Nullable Object> validator;

  /**
   * @param validator the application's {@code jakarta.validation.Validator}, or {@code null} when
   *     it has none; asked for only when a parameter asks for validation
   */
  PayloadValidation(Supplier<@Nullable Object> validator) {
    this.validator = validator;
  }

  /** Looks the application's validator up, without loading Jakarta classes when they are absent. */
  static @Nullable Object validatorOf(BeanFactory beanFactory) {
    if (!ClassUtils.isPresent(VALID, PayloadValidation.class.getClassLoader())) {
      return null;
    }
    return beanFactory.getBeanProvider(Validator.class).getIfUnique();
  }

  /** The check a parameter asks for: none without {@code @Valid}/{@code @Validated}. */
  Check check(ArgumentResolvers.Parameter parameter) {
    Class<?>[] groups = null;
    for (Annotation annotation : parameter.method().getParameterAnnotations()[parameter.index()]) {
      if (annotation instanceof Validated validated) {
        groups = validated.value();
      } else if (annotation.annotationType().getName().equals(VALID)) {
        groups = new Class<?>[0];
      }
    }
    if (groups == null) {
      return NONE;
    }
    Object provider = validator.get();
    if (provider == null) {
      throw ArgumentResolvers.invalid(
          parameter,
          "asks for Bean Validation but the application has no jakarta.validation.Validator (add"
              + " spring-boot-starter-validation)");
    }
    return new JakartaCheck(parameter.id(), parameter.name(), (Validator) provider, groups);
  }

  /** A check by a Jakarta validator; loaded only when one is used. */
  private record JakartaCheck(String id, String name, Validator validator, Class<?>[] groups)
      implements Check {

    @Override
    public void validate(@Nullable Object value) {
      if (value == null) {
        return;
      }
      Set<ConstraintViolation<Object>> violations = validator.validate(value, groups);
      if (violations.isEmpty()) {
        return;
      }
      String problems =
          violations.stream()
              .map(v -> describe(v))
              .sorted(Comparator.naturalOrder())
              .collect(Collectors.joining("; "));
      throw new BindingFailure("parameter '" + name + "' of " + id + " is not valid: " + problems);
    }

    private static String describe(ConstraintViolation<Object> violation) {
      String path = violation.getPropertyPath().toString();
      return (path.isEmpty() ? "" : path + " ") + violation.getMessage();
    }
  }
}
