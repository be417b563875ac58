package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.InitOptions;
import dev.iii.ReconnectionConfig;
import dev.iii.engine.EmbeddedEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh embedded engine per test (free ports) and Java clients that are closed after it, with
 * quick reconnects so that engine restarts stay fast.
 */
abstract class EngineTestSupport {

  static final Duration WAIT = Duration.ofSeconds(15);

  EmbeddedEngine engine;
  final List<III> clients = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startEngine() {
    engine = EmbeddedEngine.builder().port(0).httpPort(0).streamPort(0).build().start();
  }

  @AfterEach
  void stopAll() {
    clients.forEach(III::close);
    engine.close();
  }

  /** A client of {@link #engine}, not yet connected. */
  III client(String name) {
    III client =
        new III(
            engine.wsUrl(),
            InitOptions.builder()
                .workerName(name)
                .reconnection(
                    ReconnectionConfig.DEFAULT
                        .withInitialDelay(Duration.ofMillis(50))
                        .withMaxDelay(Duration.ofMillis(200)))
                .build());
    clients.add(client);
    return client;
  }

  /** A client of {@link #engine}, connected. */
  III connected(String name) throws Exception {
    III client = client(name);
    get(client.connect());
    return client;
  }

  static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The {@link IIIException} a call failed with; an assertion error if it did not fail in time. */
  static IIIException failure(CompletableFuture<?> future) {
    try {
      future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(IIIException.class);
      return (IIIException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("call did not fail in time", e);
    }
    throw new AssertionError("call succeeded but was expected to fail");
  }
}
