package dev.iii.spring.boot.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.ConnectionState;
import dev.iii.IIIClient;
import dev.iii.protocol.WorkerInfo;
import dev.iii.spring.boot.autoconfigure.IIIConnectionDetails;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;
import org.testcontainers.DockerClientFactory;

/**
 * The official engine image as a {@code @ServiceConnection}: the auto-configured client connects to
 * the container, whatever {@code iii.url} says. Runs only where a Docker engine is reachable.
 */
@EnabledIf(value = "dockerAvailable", disabledReason = "no Docker engine")
@SpringBootTest(
    classes = IIIContainerServiceConnectionTest.App.class,
    properties = {"iii.url=ws://127.0.0.1:9", "iii.worker-name=testcontainers-test"})
class IIIContainerServiceConnectionTest {

  @ServiceConnection static final IIIContainer iii = new IIIContainer();

  @Autowired private IIIConnectionDetails connectionDetails;

  @Autowired private IIIClient client;

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @Test
  void clientConnectsToTheContainer() {
    assertThat(connectionDetails.url()).isEqualTo(iii.getUrl());

    await()
        .atMost(Duration.ofSeconds(30))
        .until(client::getConnectionState, ConnectionState.CONNECTED::equals);
    // The engine in the container knows this application as a worker.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client.listWorkers().get())
                    .extracting(WorkerInfo::name)
                    .contains("testcontainers-test"));
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
