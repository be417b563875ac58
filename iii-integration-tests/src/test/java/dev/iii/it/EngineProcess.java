package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-alone engine ({@code java -jar iii-embedded-engine.jar}) as a child process: started
 * with the given options, ready once it prints its ready line, and measurable from outside (RSS,
 * heap after a full GC) as an operator would measure it.
 *
 * <p>Concurrency: one test thread drives it; a daemon thread drains its output.
 */
public final class EngineProcess implements AutoCloseable {

  private static final Pattern READY =
      Pattern.compile("iii engine ready: workers (ws://\\S+) \\| http (\\S+)");

  private final Process process;
  private final String wsUrl;
  private final String httpUrl;
  private final List<String> output;

  private EngineProcess(Process process, String wsUrl, String httpUrl, List<String> output) {
    this.process = process;
    this.wsUrl = wsUrl;
    this.httpUrl = httpUrl;
    this.output = output;
  }

  /**
   * Starts the jar with JVM options and engine arguments and waits for its ready line.
   *
   * @param jvmOptions e.g. {@code -Xmx256m}
   * @param args e.g. {@code --host 127.0.0.1 --port 0}
   */
  public static EngineProcess start(List<String> jvmOptions, List<String> args) throws Exception {
    Path jar = Path.of(System.getProperty("iii.engine.jar", "missing"));
    assertThat(jar).as("the stand-alone jar is built by the package phase").exists();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Matcher> ready = new CompletableFuture<>();
    // Reads the output to its end, so the engine never blocks on a full pipe.
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  output.add(line);
                  Matcher matcher = READY.matcher(line);
                  if (matcher.find()) {
                    ready.complete(matcher);
                  }
                }
                ready.completeExceptionally(
                    new IllegalStateException("engine exited before it was ready: " + output));
              } catch (IOException e) {
                ready.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "engine-process-output");
    reader.setDaemon(true);
    reader.start();
    try {
      Matcher urls = ready.get(60, TimeUnit.SECONDS);
      return new EngineProcess(process, urls.group(1), urls.group(2), output);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  public String wsUrl() {
    return wsUrl;
  }

  /** The HTTP URL as the ready line printed it. */
  public String httpUrl() {
    return httpUrl;
  }

  public int port() {
    return URI.create(wsUrl).getPort();
  }

  public int httpPort() {
    return URI.create(httpUrl).getPort();
  }

  /** What the engine printed so far (stdout and stderr). */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** Resident set size in bytes, from {@code /proc} (Linux). */
  public long rssBytes() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for " + process.pid());
  }

  /** Heap in use right after a full GC, in bytes, asked with {@code jcmd}. */
  public long heapAfterGcBytes() throws Exception {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    // "garbage-first heap   total 262144K, used 12345K [...]" or "... used 12345K"
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    assertThat(used.find()).as("heap info: %s", info).isTrue();
    return Long.parseLong(used.group(1)) * 1024;
  }

  private String jcmd(String command) throws Exception {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path jcmd = javaHome.resolve("bin").resolve("jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /** SIGKILL, as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits on SIGKILL").isTrue();
  }

  /** SIGTERM, and waits for the exit. */
  public int stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
