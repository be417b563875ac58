package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The stand-alone engine ({@code java -jar iii-embedded-engine.jar}) stopped with SIGTERM and
 * started again on the same port: a worker of the official Node SDK 0.22.1 and a Java worker,
 * connected before, come back by themselves (reconnect, {@code reattach} of an id the new engine
 * does not know, replay) and call each other's functions again.
 */
class V022EngineRestartIT {

  private static final Pattern READY =
      Pattern.compile("iii engine ready: workers (ws://\\S+) \\| http (http://\\S+)");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Process> engines = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    Interop.closeAll(resources);
    engines.forEach(Process::destroyForcibly);
  }

  /** A running jar engine and the worker URL from its ready line. */
  private record JarEngine(Process process, String wsUrl) {
    int port() {
      return URI.create(wsUrl).getPort();
    }
  }

  private JarEngine startJar(int port) throws Exception {
    Path jar = Path.of(System.getProperty("iii.engine.jar", "missing"));
    assertThat(jar).as("the stand-alone jar is built by the package phase").exists();
    Process process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                jar.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--http-port",
                "0")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    engines.add(process);
    CompletableFuture<String> ready = new CompletableFuture<>();
    // Reads stdout to its end (so the engine never blocks on a full pipe), noting the ready line.
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  Matcher matcher = READY.matcher(line);
                  if (matcher.matches()) {
                    ready.complete(matcher.group(1));
                  }
                }
                ready.completeExceptionally(new IllegalStateException("engine exited unready"));
              } catch (IOException e) {
                ready.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "jar-engine-stdout");
    reader.setDaemon(true);
    reader.start();
    return new JarEngine(process, ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
  }

  private static void sigterm(JarEngine engine) throws InterruptedException {
    engine.process().destroy(); // SIGTERM
    assertThat(engine.process().waitFor(15, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    assertThat(engine.process().exitValue()).isIn(0, 143);
  }

  @Test
  void nodeAndJavaWorkersComeBackAfterASigtermRestartOnTheSamePort() throws Exception {
    JarEngine first = startJar(0);
    III java = V022.connectJava(first.wsUrl(), "java-sigterm");
    resources.add(java);
    NodeSdk node = V022.connect(first.wsUrl(), "node-sigterm", Map.of());
    resources.add(node);
    String javaFn = uniqueId("java::survives");
    String nodeFn = uniqueId("node::survives");
    java.registerFunction(javaFn, input -> Map.of("from", "java"));
    node.result("register", Map.of("id", nodeFn, "behavior", "add"));
    awaitJavaSees(java, nodeFn);
    awaitNodeSees(node, javaFn);
    String oldNodeId = node.result("status", Map.of()).path("workerId").asString();

    sigterm(first);
    JarEngine second = startJar(first.port());

    await("Java reaches the Node function on the restarted engine")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> get(java.call(nodeFn, Map.of("a", 20, "b", 22))), Map.of("sum", 42)::equals);
    await("Node reaches the Java function on the restarted engine")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> node.result("call", Map.of("function_id", javaFn, "data", Map.of())),
            r -> "java".equals(r.path("from").asString("")));
    JsonNode status = node.result("status", Map.of());
    assertThat(status.path("connectionState").asString()).isEqualTo("connected");
    assertThat(status.path("workerId").asString()).isNotEqualTo(oldNodeId);

    sigterm(second);
  }
}
