package dev.iii.spring.boot.testcontainers;

import dev.iii.spring.boot.autoconfigure.IIIConnectionDetails;
import java.net.URI;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ContainerState;

/**
 * Supplies {@link IIIConnectionDetails} for a {@code @ServiceConnection} container of the iii
 * engine: an {@link IIIContainer}, or any container whose image is {@code iiidev/iii} (only the
 * repository part of the image name is matched; other images can name the connection with
 * {@code @ServiceConnection(name = "iiidev/iii")}).
 */
class IIIContainerConnectionDetailsFactory
    extends ContainerConnectionDetailsFactory<Container<?>, IIIConnectionDetails> {

  IIIContainerConnectionDetailsFactory() {
    super(IIIContainer.IMAGE);
  }

  @Override
  protected IIIConnectionDetails getContainerConnectionDetails(
      ContainerConnectionSource<Container<?>> source) {
    return new IIIContainerConnectionDetails(source);
  }

  /** The worker address of a running engine container, through its mapped worker port. */
  static URI workerUrl(ContainerState container) {
    return URI.create(
        "ws://" + container.getHost() + ":" + container.getMappedPort(IIIContainer.WORKER_PORT));
  }

  /** Reads the address only when asked: the container is started by then, not at creation. */
  private static final class IIIContainerConnectionDetails
      extends ContainerConnectionDetails<Container<?>> implements IIIConnectionDetails {

    private IIIContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
      super(source);
    }

    @Override
    public URI url() {
      return workerUrl(getContainer());
    }
  }
}
