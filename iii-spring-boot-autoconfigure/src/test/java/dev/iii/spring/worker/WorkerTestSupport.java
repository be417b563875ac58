package dev.iii.spring.worker;

import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIClient;
import dev.iii.protocol.FunctionInfo;
import dev.iii.spring.boot.autoconfigure.IIIWorkerAutoConfiguration;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Shared pieces of the worker tests: a client bean connected to the test's engine. */
final class WorkerTestSupport {

  private WorkerTestSupport() {}

  /**
   * The application's client, connected to {@code iii.url} when the context is built; the worker
   * auto-configuration on top of it.
   */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(IIIWorkerAutoConfiguration.class)
  static class ClientConfig {

    @Bean(destroyMethod = "close")
    III iiiClient(@Value("${iii.url}") String url) {
      III client = new III(url);
      // Asynchronous: registrations made before the connection completes are replayed on it.
      client.connect();
      return client;
    }
  }

  /** The ids the engine lists. */
  static List<String> functionIds(IIIClient client) {
    return client.listFunctions().join().stream().map(FunctionInfo::functionId).toList();
  }

  /** Waits until the engine lists every id. */
  static void awaitFunctions(IIIClient client, String... ids) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> functionIds(client).containsAll(List.of(ids)));
  }
}
