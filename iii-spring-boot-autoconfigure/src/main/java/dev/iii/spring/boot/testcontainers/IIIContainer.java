package dev.iii.spring.boot.testcontainers;

import java.net.URI;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The official iii engine ({@code iiidev/iii}) in a container.
 *
 * <pre>{@code
 * @Container
 * @ServiceConnection
 * static IIIContainer iii = new IIIContainer();
 * }</pre>
 *
 * <p>It exposes the worker port ({@value #WORKER_PORT}) and the REST API port ({@value #HTTP_PORT})
 * and is ready once the worker port accepts connections.
 */
public class IIIContainer extends GenericContainer<IIIContainer> {

  /** The image's repository; also the service connection name. */
  public static final String IMAGE = "iiidev/iii";

  /** The tag used by {@link #IIIContainer()}. */
  public static final String DEFAULT_TAG = "latest";

  /** The engine's worker WebSocket port inside the container. */
  public static final int WORKER_PORT = 49134;

  /** The engine's REST API port inside the container. */
  public static final int HTTP_PORT = 3111;

  private static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse(IMAGE);

  /** The official image with the {@value #DEFAULT_TAG} tag. */
  public IIIContainer() {
    this(DEFAULT_IMAGE.withTag(DEFAULT_TAG));
  }

  /**
   * The official image, or a compatible one.
   *
   * @param image e.g. {@code iiidev/iii:0.8.3}, or a mirror declared with {@code
   *     asCompatibleSubstituteFor("iiidev/iii")}
   */
  public IIIContainer(String image) {
    this(DockerImageName.parse(image));
  }

  /**
   * The official image, or a compatible one.
   *
   * @param image {@code iiidev/iii} with any tag, or a declared substitute
   */
  public IIIContainer(DockerImageName image) {
    super(image);
    image.assertCompatibleWith(DEFAULT_IMAGE);
    withExposedPorts(WORKER_PORT, HTTP_PORT);
    // The REST API is only there if the engine's config enables it; the worker port always is.
    waitingFor(Wait.forListeningPorts(WORKER_PORT));
  }

  /** The worker WebSocket address, e.g. {@code ws://localhost:32768}, for {@code iii.url}. */
  public URI getUrl() {
    return IIIContainerConnectionDetailsFactory.workerUrl(this);
  }

  /** The REST API address, e.g. {@code http://localhost:32769}. */
  public URI getHttpUrl() {
    return URI.create("http://" + getHost() + ":" + getMappedPort(HTTP_PORT));
  }
}
