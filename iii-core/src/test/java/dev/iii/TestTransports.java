package dev.iii;

import dev.iii.transport.ReactorNettyTransport;
import dev.iii.transport.WebSocketTransport;
import java.util.function.Supplier;

/**
 * The transport the client tests run on. By default the client's own ({@link
 * ReactorNettyTransport}); {@code -Diii.test.transport=<class>} names a {@code
 * Supplier<WebSocketTransport>} to run the same tests on another (the Spring module runs them on
 * WebFlux's {@code WebSocketClient}).
 */
final class TestTransports {

  static final String PROPERTY = "iii.test.transport";

  private TestTransports() {}

  @SuppressWarnings("unchecked")
  static WebSocketTransport create() {
    String supplier = System.getProperty(PROPERTY);
    if (supplier == null || supplier.isBlank()) {
      return new ReactorNettyTransport();
    }
    try {
      return ((Supplier<WebSocketTransport>)
              Class.forName(supplier).getDeclaredConstructor().newInstance())
          .get();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create the transport of " + PROPERTY, e);
    }
  }
}
