package dev.iii.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import org.springframework.util.ClassUtils;

/**
 * Recognises a Mockito mock of the client, e.g. a test's {@code @MockitoBean IIIClient}, without
 * needing Mockito on the application's classpath: a mock is never connected, and nothing is
 * registered with it. A spy ({@code @MockitoSpyBean}) wraps a real client, so it is not a mock
 * here.
 */
final class MockClients {

  private static final String MOCKITO = "org.mockito.Mockito";
  private static final String MOCKING_DETAILS = "org.mockito.MockingDetails";

  private MockClients() {}

  /** Whether {@code client} is a Mockito mock (and not a spy). */
  static boolean isMock(Object client) {
    ClassLoader loader = MockClients.class.getClassLoader();
    if (!ClassUtils.isPresent(MOCKITO, loader)) {
      return false;
    }
    try {
      Class<?> details = ClassUtils.forName(MOCKING_DETAILS, loader);
      Method mockingDetails =
          ClassUtils.forName(MOCKITO, loader).getMethod("mockingDetails", Object.class);
      Object of = mockingDetails.invoke(null, client);
      return Boolean.TRUE.equals(details.getMethod("isMock").invoke(of))
          && !Boolean.TRUE.equals(details.getMethod("isSpy").invoke(of));
    } catch (ReflectiveOperationException | LinkageError e) {
      return false;
    }
  }
}
