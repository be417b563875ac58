package dev.iii.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One process the harness started (engine, worker, caller…): its stdout read line by line, its
 * stdin for commands, its stderr in a log file.
 *
 * <p>Thread-safe for one harness thread plus the stdout reader; every live instance is also in a
 * static set that a shutdown hook empties, so no child outlives the harness, whether it ends
 * normally, fails or is stopped with Ctrl-C.
 */
final class ChildProcess implements AutoCloseable {

  /** What the stdout reader queues when the process closed its stdout. */
  private static final String END_OF_OUTPUT = "\u0000end of output";

  private static final int LOG_TAIL_LINES = 20;
  private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::closeAll, "bench-kill-children"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final Writer stdin;
  private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
  private final boolean exitsAtEndOfInput;

  private ChildProcess(String name, Process process, Path log, boolean exitsAtEndOfInput) {
    this.name = name;
    this.exitsAtEndOfInput = exitsAtEndOfInput;
    this.process = process;
    this.log = log;
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread reader = new Thread(this::readStdout, "bench-stdout-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code command} in {@code directory} with stderr appended to {@code log}.
   *
   * @param exitsAtEndOfInput whether the process ends by itself when its stdin closes (then {@link
   *     #close()} gives it time to), or must be terminated
   * @throws BenchmarkFailure when it cannot be started
   */
  static ChildProcess start(
      String name,
      List<String> command,
      Path directory,
      Map<String, String> env,
      Path log,
      boolean exitsAtEndOfInput) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      Files.writeString(log, "$ " + String.join(" ", command) + "\n");
      ChildProcess child = new ChildProcess(name, builder.start(), log, exitsAtEndOfInput);
      LIVE.add(child);
      return child;
    } catch (IOException e) {
      throw new BenchmarkFailure("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /** The operating system's id of the process (whose /proc entries are read). */
  long pid() {
    return process.pid();
  }

  /** A short name, such as {@code caller}. */
  String name() {
    return name;
  }

  /**
   * Waits for a stdout line starting with {@code prefix}; other lines are skipped.
   *
   * @return the whole line
   * @throws BenchmarkFailure when none comes in time or the process ends first
   */
  String awaitLine(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left <= 0 ? null : stdoutLines.poll(left, TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new BenchmarkFailure(
              describe("no '" + prefix + "' line within " + timeout.toSeconds() + " s"));
        }
        if (line.equals(END_OF_OUTPUT)) {
          stdoutLines.add(END_OF_OUTPUT);
          waitForExit(Duration.ofSeconds(2));
          throw new BenchmarkFailure(describe("ended before saying '" + prefix + "'"));
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchmarkFailure(name + ": interrupted", e);
    }
  }

  /**
   * Writes one line to the process's stdin.
   *
   * @throws BenchmarkFailure when the process is gone
   */
  synchronized void send(String line) {
    try {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      throw new BenchmarkFailure(describe("cannot send '" + line + "'"), e);
    }
  }

  /** The reason and what the process last wrote to stderr, for an error message. */
  String describe(String reason) {
    StringBuilder text = new StringBuilder(name).append(" (pid ").append(pid()).append(") ");
    text.append(reason);
    if (!process.isAlive()) {
      text.append("; exit code ").append(process.exitValue());
    }
    text.append("; log ").append(log);
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
      if (!tail.isEmpty()) {
        text.append(", last lines:\n    ").append(String.join("\n    ", tail));
      }
    } catch (IOException | RuntimeException e) {
      text.append(" (unreadable: ").append(e.getMessage()).append(')');
    }
    return text.toString();
  }

  /**
   * Stops the process: closes its stdin and, if it exits at end of input, gives it 3 s to; then
   * SIGTERM, and SIGKILL 3 s later. Its own children go the same way.
   */
  @Override
  public void close() {
    LIVE.remove(this);
    synchronized (this) {
      try {
        stdin.close();
      } catch (IOException e) {
        // already gone
      }
    }
    if (exitsAtEndOfInput && waitForExit(Duration.ofSeconds(3))) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!waitForExit(Duration.ofSeconds(3))) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      waitForExit(Duration.ofSeconds(3));
    }
  }

  /** Stops every child still alive: SIGTERM to all, then SIGKILL to those left after 2 s. */
  static void closeAll() {
    List<ChildProcess> children = List.copyOf(LIVE);
    LIVE.clear();
    for (ChildProcess child : children) {
      child.process.descendants().forEach(ProcessHandle::destroy);
      child.process.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (ChildProcess child : children) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!child.waitForExit(Duration.ofNanos(left))) {
        child.process.descendants().forEach(ProcessHandle::destroyForcibly);
        child.process.destroyForcibly();
      }
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void readStdout() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        stdoutLines.add(line);
      }
    } catch (IOException e) {
      // the process is gone; END_OF_OUTPUT says so
    } finally {
      stdoutLines.add(END_OF_OUTPUT);
    }
  }
}
