package dev.iii.it.node;

import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.InitOptions;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.protocol.FunctionInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Shared plumbing of the Node interop tests: an embedded engine, a connected Java {@link III}
 * client and a connected official Node SDK worker ({@link NodeSdk}), with bounded waits only.
 */
final class Interop {

  private static final Logger log = LoggerFactory.getLogger(Interop.class);

  /** Upper bound of every single wait in these tests. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private Interop() {}

  /** Starts an engine on free ports of the loopback interface. */
  static EmbeddedEngine startEngine() {
    return EmbeddedEngine.builder()
        .host("127.0.0.1")
        .port(0)
        .httpPort(0)
        .streamPort(0)
        .build()
        .start();
  }

  /** A Java client of {@code engine}, connected (its worker id is known on return). */
  static III connectJava(EmbeddedEngine engine, String workerName) {
    return connectJava(engine.wsUrl(), workerName);
  }

  /** A Java client of the engine at {@code wsUrl}, connected. */
  static III connectJava(String wsUrl, String workerName) {
    III java =
        new III(
            wsUrl,
            InitOptions.builder()
                .workerName(workerName)
                .enableMetricsReporting(false)
                .invocationTimeout(WAIT)
                .build());
    try {
      get(java.connect());
    } catch (RuntimeException | Error e) {
      java.close();
      throw e;
    }
    return java;
  }

  /**
   * Starts the Node driver for {@code sdkVersion} and connects its SDK to {@code engine}.
   *
   * @return the driver; {@link NodeSdk#close()} it
   */
  static NodeSdk connectNode(EmbeddedEngine engine, String sdkVersion, String workerName) {
    NodeSdk node = NodeSdk.start(sdkVersion, engine.wsUrl());
    try {
      node.result("connect", Map.of("workerName", workerName, "invocationTimeoutMs", 10_000));
    } catch (RuntimeException | Error e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** A function id no other test uses: {@code <prefix>-<random>}. */
  static String uniqueId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Waits (bounded) for a future and unwraps its failure. */
  static <T> T get(Future<T> future) {
    try {
      return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no completion within " + WAIT.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Waits (bounded) for a future that must fail with an {@link IIIException}, and returns it. */
  static IIIException failure(Future<?> future) {
    try {
      Object value = future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IIIException iii) {
        return iii;
      }
      throw new AssertionError("expected an IIIException, got " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no completion within " + WAIT.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Waits until the Java client's {@code listFunctions()} lists every one of {@code ids}. */
  static void awaitJavaSees(III java, String... ids) {
    await("functions " + List.of(ids) + " listed to Java")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> get(java.listFunctions()).stream().map(FunctionInfo::functionId).toList(),
            listed -> listed.containsAll(List.of(ids)));
  }

  /** Waits until the Node SDK's {@code listFunctions} lists every one of {@code ids}. */
  static void awaitNodeSees(NodeSdk node, String... ids) {
    node.result("awaitFunctions", Map.of("ids", List.of(ids), "timeoutMs", WAIT.toMillis()));
  }

  /** Waits for the Node driver's {@code invoked} event of {@code functionId}. */
  static JsonNode awaitInvoked(NodeSdk node, String functionId) {
    return node.awaitEvent(
        event ->
            "invoked".equals(event.path("event").asString())
                && functionId.equals(event.path("function_id").asString()),
        WAIT);
  }

  /**
   * One engine with one Java client and one Node worker per SDK version, created on first use and
   * shared by the tests of one class (they use distinct function ids, so they do not interfere).
   */
  static final class Fixtures implements AutoCloseable {

    private final String name;
    private final Map<String, Fixture> byVersion = new ConcurrentHashMap<>();

    Fixtures(String name) {
      this.name = name;
    }

    /** The fixture for {@code sdkVersion}, started on first use. */
    Fixture get(String sdkVersion) {
      return byVersion.computeIfAbsent(sdkVersion, v -> Fixture.start(name, v));
    }

    @Override
    public void close() {
      byVersion.values().forEach(Fixture::close);
      byVersion.clear();
    }
  }

  /** An engine, a Java client and a Node worker of one SDK version, all connected. */
  record Fixture(EmbeddedEngine engine, III java, NodeSdk node, String nodeWorkerId)
      implements AutoCloseable {

    static Fixture start(String name, String sdkVersion) {
      List<AutoCloseable> started = new ArrayList<>();
      try {
        EmbeddedEngine engine = startEngine();
        started.add(engine);
        III java = connectJava(engine, "java-" + name);
        started.add(java);
        NodeSdk node = NodeSdk.start(sdkVersion, engine.wsUrl());
        started.add(node);
        JsonNode connected =
            node.result(
                "connect",
                Map.of(
                    "workerName",
                    "node-" + name + "-" + sdkVersion,
                    "invocationTimeoutMs",
                    10_000));
        String nodeWorkerId = connected.path("workerId").asString();
        return new Fixture(engine, java, node, nodeWorkerId);
      } catch (RuntimeException | Error e) {
        closeAll(started);
        throw e;
      }
    }

    /** The Java client's worker id. */
    String javaWorkerId() {
      return java.workerId().orElseThrow();
    }

    @Override
    public void close() {
      closeAll(List.of(engine, java, node));
    }
  }

  /** Closes in reverse order, logging (not throwing) failures so that everything gets closed. */
  static void closeAll(Collection<? extends AutoCloseable> resources) {
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("could not close {}", resource, e);
      }
    }
  }
}
