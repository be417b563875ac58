package dev.iii.spring.boot.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.RETURNS_DEFAULTS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.iii.spring.boot.autoconfigure.IIIConnectionDetails;
import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.containers.Container;

/** The service-connection path, with a mocked container instead of Docker. */
class IIIContainerConnectionDetailsFactoryTest {

  private final IIIContainerConnectionDetailsFactory factory =
      new IIIContainerConnectionDetailsFactory();

  @Test
  void detailsPointAtTheContainersMappedWorkerPort() throws Exception {
    Container<?> container = engineContainer("docker.example", 32_768);
    ContainerConnectionSource<Container<?>> source = source("iiidev/iii", container);

    IIIConnectionDetails details = factory.getConnectionDetails(source);
    // Boot initialises the details bean (which fetches the container) before anyone reads it.
    ((InitializingBean) details).afterPropertiesSet();

    assertThat(details.url()).isEqualTo(URI.create("ws://docker.example:32768"));
  }

  @Test
  void containerOfAnotherServiceGetsNoDetails() {
    ContainerConnectionSource<Container<?>> source =
        source("redis", engineContainer("localhost", 6379));

    assertThat(factory.getConnectionDetails(source)).isNull();
  }

  @Test
  void workerUrlUsesHostAndMappedWorkerPortOnly() {
    Container<?> container = mock(Container.class);
    when(container.getHost()).thenReturn("127.0.0.1");
    when(container.getMappedPort(IIIContainer.WORKER_PORT)).thenReturn(50_001);
    when(container.getMappedPort(IIIContainer.HTTP_PORT)).thenReturn(50_002);

    assertThat(IIIContainerConnectionDetailsFactory.workerUrl(container))
        .isEqualTo(URI.create("ws://127.0.0.1:50001"));
  }

  @Test
  void bootFindsTheFactoryThroughSpringFactories() throws Exception {
    ContainerConnectionSource<Container<?>> source =
        source("iiidev/iii", engineContainer("localhost", 40_000));

    Map<Class<?>, ConnectionDetails> found =
        new ConnectionDetailsFactories(getClass().getClassLoader())
            .getConnectionDetails(source, true);

    assertThat(found).containsOnlyKeys(IIIConnectionDetails.class);
    IIIConnectionDetails details = (IIIConnectionDetails) found.get(IIIConnectionDetails.class);
    ((InitializingBean) details).afterPropertiesSet();
    assertThat(details.url()).isEqualTo(URI.create("ws://localhost:40000"));
  }

  private static Container<?> engineContainer(String host, int workerPort) {
    Container<?> container = mock(Container.class);
    when(container.getHost()).thenReturn(host);
    when(container.getMappedPort(anyInt()))
        .thenAnswer(
            invocation -> {
              int port = invocation.getArgument(0);
              return port == IIIContainer.WORKER_PORT ? workerPort : port + 10_000;
            });
    return container;
  }

  /**
   * A source as Boot builds it for a {@code @ServiceConnection} field. Its constructor and the
   * container supplier are package-private, so the (final) class is mocked: {@code accepts}
   * compares the connection name (deduced from the image) and container type as Boot's does, and
   * the supplier hands out the container.
   */
  @SuppressWarnings("unchecked")
  private static ContainerConnectionSource<Container<?>> source(
      String connectionName, Container<?> container) {
    return mock(
        ContainerConnectionSource.class,
        invocation ->
            switch (invocation.getMethod().getName()) {
              // (connection name the factory requires, container type, details type)
              case "accepts" ->
                  connectionName.equalsIgnoreCase(invocation.getArgument(0))
                      && ((Class<?>) invocation.getArgument(1)).isInstance(container);
              case "getContainerSupplier" -> (Supplier<Container<?>>) () -> container;
              default -> RETURNS_DEFAULTS.answer(invocation);
            });
  }
}
