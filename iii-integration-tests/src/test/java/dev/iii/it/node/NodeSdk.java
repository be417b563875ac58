package dev.iii.it.node;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drives one official Node {@code iii-sdk} worker from a test, through {@code driver.mjs} in the
 * Node fixtures directory.
 *
 * <p>The driver is a child process ({@code node driver.mjs --sdk <version>} with {@code III_URL}
 * set) that reads one JSON command per line on stdin and answers on stdout with one JSON object per
 * line: replies {@code {"seq":N,"ok":true,"result":...}} or {@code
 * {"seq":N,"ok":false,"error":{...}}}, and events {@code {"event":"...",...}} (for example {@code
 * invoked} each time one of its functions runs). Its stderr (SDK logging) is forwarded to SLF4J
 * line by line with a {@code [node <version>]} prefix. See {@code driver.mjs} for the commands.
 *
 * <pre>{@code
 * try (NodeSdk node = NodeSdk.start("0.9.0", engineUrl)) {
 *   node.result("connect", Map.of("workerName", "node-a"));
 *   node.result("register", Map.of("id", "node::add", "behavior", "add"));
 *   JsonNode sum = node.result("call", Map.of("function_id", "java::add", "data", Map.of("a", 1, "b", 2)));
 * }
 * }</pre>
 *
 * <p>Nothing here waits forever: replies are awaited for at most 30 s by default, and when the
 * process dies every pending and later request fails at once with its exit code and its last stderr
 * lines.
 */
public final class NodeSdk implements AutoCloseable {

  /**
   * The official SDK versions the driver runs, newest first; each is pinned in {@code package.json}
   * ({@code iii-sdk-0221}, {@code iii-sdk}, {@code iii-sdk-030}).
   */
  public static final List<String> VERSIONS = List.of("0.22.1", "0.9.0", "0.3.0");

  private static final Logger log = LoggerFactory.getLogger(NodeSdk.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final int STDERR_TAIL_LINES = 30;

  private final String sdkVersion;
  private final Process process;
  private final Writer stdin;
  private final Thread stderrPump;
  private final AtomicLong seq = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<JsonNode> started = new CompletableFuture<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();

  /** Guarded by itself, together with {@link #eventWaiters}. */
  private final List<JsonNode> events = new ArrayList<>();

  private final List<EventWaiter> eventWaiters = new ArrayList<>();

  /** Set once the driver is gone; from then on every request fails with this message. */
  private volatile String deathMessage;

  private record EventWaiter(Predicate<JsonNode> predicate, CompletableFuture<JsonNode> future) {}

  private NodeSdk(String sdkVersion, Process process) {
    this.sdkVersion = sdkVersion;
    this.process = process;
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.stderrPump = daemon("stderr", () -> pumpLines(process.getErrorStream(), this::onStderr));
    daemon("stdout", this::readStdout);
  }

  /**
   * Starts {@code node driver.mjs --sdk <sdkVersion>} against the engine at {@code wsUrl} and waits
   * (at most 20 s) for its {@code started} event. The SDK does not connect until the {@code
   * connect} command is sent.
   *
   * @param sdkVersion one of {@link #VERSIONS}
   * @param wsUrl the engine's worker endpoint, e.g. {@code ws://127.0.0.1:49134}
   */
  public static NodeSdk start(String sdkVersion, String wsUrl) {
    if (!VERSIONS.contains(sdkVersion)) {
      throw new IllegalArgumentException(
          "no driver for iii-sdk " + sdkVersion + "; known: " + VERSIONS);
    }
    Path dir = fixturesDir();
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      throw new IllegalStateException("no node_modules in " + dir + ": run `npm ci` there first");
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                System.getProperty("iii.node.executable", "node"),
                "driver.mjs",
                "--sdk",
                sdkVersion)
            .directory(dir.toFile());
    builder.environment().put("III_URL", wsUrl);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node in " + dir, e);
    }
    NodeSdk node = new NodeSdk(sdkVersion, process);
    try {
      node.started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      node.kill();
      throw new AssertionError(
          node.describe("node driver did not start within " + START_TIMEOUT.toSeconds() + " s"), e);
    }
    return node;
  }

  /** The SDK version this driver runs. */
  public String sdkVersion() {
    return sdkVersion;
  }

  /**
   * Sends {@code {"seq":N,"op":op,...args}} and waits (at most 30 s) for the reply with that seq.
   *
   * @return the whole reply: {@code ok}, and {@code result} or {@code error}
   * @throws AssertionError when no reply comes in time or the driver died
   */
  public JsonNode request(String op, Map<String, ?> args) {
    return request(op, args, REQUEST_TIMEOUT);
  }

  /** Like {@link #request(String, Map)} with an explicit time limit for the reply. */
  public JsonNode request(String op, Map<String, ?> args, Duration timeout) {
    long n = seq.incrementAndGet();
    ObjectNode command = JSON.createObjectNode();
    command.put("seq", n);
    command.put("op", op);
    args.forEach(
        (key, value) -> command.set(key, value == null ? NullNode.getInstance() : toTree(value)));
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(n, reply);
    String dead = deathMessage;
    if (dead != null) {
      reply.completeExceptionally(new IllegalStateException(dead));
    } else {
      send(command.toString());
    }
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          describe("no reply to " + command + " within " + timeout.toMillis() + " ms"), e);
    } catch (ExecutionException e) {
      throw new AssertionError(
          "request " + command + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a reply to " + command, e);
    } finally {
      pending.remove(n);
    }
  }

  /**
   * Sends a command and returns its {@code result}.
   *
   * @throws AssertionError with the error JSON when the reply has {@code ok: false}
   */
  public JsonNode result(String op, Map<String, ?> args) {
    JsonNode reply = request(op, args);
    if (!reply.path("ok").asBoolean()) {
      throw new AssertionError("node " + sdkVersion + " " + op + " failed: " + reply.get("error"));
    }
    return reply.path("result");
  }

  /**
   * Sends a command that is expected to fail and returns its {@code error}.
   *
   * @throws AssertionError with the result JSON when the reply has {@code ok: true}
   */
  public JsonNode error(String op, Map<String, ?> args) {
    JsonNode reply = request(op, args);
    if (reply.path("ok").asBoolean()) {
      throw new AssertionError(
          "node " + sdkVersion + " " + op + " unexpectedly succeeded: " + reply.get("result"));
    }
    return reply.path("error");
  }

  /**
   * Waits for an event matching {@code predicate}, including events that arrived before this call.
   *
   * @throws AssertionError listing the events seen so far when none matches in time or the driver
   *     died
   */
  public JsonNode awaitEvent(Predicate<JsonNode> predicate, Duration timeout) {
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    EventWaiter waiter = new EventWaiter(predicate, future);
    synchronized (events) {
      for (JsonNode event : events) {
        if (predicate.test(event)) {
          return event;
        }
      }
      String dead = deathMessage;
      if (dead != null) {
        throw new AssertionError("no matching event and " + dead + "\nevents: " + events);
      }
      eventWaiters.add(waiter);
    }
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new AssertionError(
          describe("no matching event within " + timeout.toMillis() + " ms; events: " + events()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for an event", e);
    } finally {
      synchronized (events) {
        eventWaiters.remove(waiter);
      }
    }
  }

  /** All events received so far, oldest first. */
  public List<JsonNode> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Whether the driver process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the driver at once (SIGKILL), like a crashed worker: its WebSocket is dropped without a
   * close handshake. Returns once the process is gone.
   */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks the driver to shut the SDK down and exit; kills it if it has not exited after 5 s. */
  @Override
  public void close() {
    if (process.isAlive() && deathMessage == null) {
      try {
        request("shutdown", Map.of(), CLOSE_TIMEOUT);
        process.waitFor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (AssertionError e) {
        log.warn("[node {}] shutdown failed: {}", sdkVersion, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (process.isAlive()) {
      kill();
    }
    synchronized (this) {
      try {
        stdin.close();
      } catch (IOException e) {
        // The pipe broke when the process exited; nothing left to release.
      }
    }
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private static Path fixturesDir() {
    String configured = System.getProperty("iii.node.fixtures");
    return (configured != null ? Path.of(configured) : Path.of("src", "test", "node"))
        .toAbsolutePath();
  }

  private static JsonNode toTree(Object value) {
    JsonNode tree = JSON.valueToTree(value);
    return tree == null ? NullNode.getInstance() : tree;
  }

  private Thread daemon(String stream, Runnable body) {
    Thread thread = new Thread(body, "node-" + sdkVersion + "-" + stream);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private synchronized void send(String line) {
    try {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      // The process is gone: the stdout reader sees EOF and fails every pending request with
      // the exit code and stderr, which says more than this broken pipe.
      log.debug("[node {}] cannot write {}: {}", sdkVersion, line, e.toString());
    }
  }

  private static void pumpLines(InputStream in, Consumer<String> sink) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        sink.accept(line);
      }
    } catch (IOException e) {
      // Stream closed because the process died or was killed; the exit is handled elsewhere.
    }
  }

  private void onStderr(String line) {
    log.info("[node {}] {}", sdkVersion, line);
    synchronized (stderrTail) {
      if (stderrTail.size() == STDERR_TAIL_LINES) {
        stderrTail.removeFirst();
      }
      stderrTail.addLast(line);
    }
  }

  private void readStdout() {
    pumpLines(process.getInputStream(), this::onStdout);
    // EOF: the driver exited (or closed stdout, which it never does while alive).
    String exit;
    try {
      exit =
          process.waitFor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              ? "exited with code " + process.exitValue()
              : "closed its stdout but is still running";
      stderrPump.join(CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = "stopped (interrupted while waiting for its exit)";
    }
    onDeath(describe("node driver " + sdkVersion + " " + exit));
  }

  private void onStdout(String line) {
    JsonNode message;
    try {
      message = JSON.readTree(line);
    } catch (JacksonException e) {
      log.warn("[node {}] non-JSON line on stdout: {}", sdkVersion, line);
      return;
    }
    if (message.has("event")) {
      onEvent(message);
    } else if (message.path("seq").isIntegralNumber()) {
      CompletableFuture<JsonNode> reply = pending.get(message.get("seq").asLong());
      if (reply != null) {
        reply.complete(message);
      } else {
        log.warn("[node {}] reply nobody waits for: {}", sdkVersion, line);
      }
    } else {
      log.warn("[node {}] unexpected line on stdout: {}", sdkVersion, line);
    }
  }

  private void onEvent(JsonNode event) {
    log.debug("[node {}] event {}", sdkVersion, event);
    if ("started".equals(event.path("event").asString())) {
      started.complete(event);
    }
    synchronized (events) {
      events.add(event);
      for (EventWaiter waiter : eventWaiters) {
        if (waiter.predicate().test(event)) {
          waiter.future().complete(event);
        }
      }
    }
  }

  private void onDeath(String message) {
    deathMessage = message;
    IllegalStateException failure = new IllegalStateException(message);
    started.completeExceptionally(failure);
    pending.values().forEach(reply -> reply.completeExceptionally(failure));
    synchronized (events) {
      eventWaiters.forEach(waiter -> waiter.future().completeExceptionally(failure));
    }
  }

  private String describe(String problem) {
    synchronized (stderrTail) {
      return stderrTail.isEmpty()
          ? problem + " (no stderr output)"
          : problem + "; last stderr lines:\n  " + String.join("\n  ", stderrTail);
    }
  }
}
