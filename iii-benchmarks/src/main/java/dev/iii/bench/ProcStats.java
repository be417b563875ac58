package dev.iii.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads what Linux counts for a process: CPU time ({@code /proc/<pid>/stat}, user + system, all
 * threads, dead ones included) and context switches ({@code /proc/<pid>/task/<tid>/status},
 * voluntary + involuntary, per live thread).
 */
final class ProcStats {

  private static final Path PROC = Path.of("/proc");
  private static volatile long clockTicksPerSecond;

  private ProcStats() {}

  /**
   * A process's counters at one moment.
   *
   * @param cpuTicks user + system time, in clock ticks
   * @param contextSwitchesByThread voluntary + involuntary switches of each live thread
   */
  record Sample(long cpuTicks, Map<Long, Long> contextSwitchesByThread) {

    /** CPU time since {@code earlier}, in microseconds. */
    double cpuMicrosSince(Sample earlier) {
      return (cpuTicks - earlier.cpuTicks) * 1e6 / clockTicksPerSecond();
    }

    /**
     * Context switches since {@code earlier}, summed over the threads alive now (a thread that
     * ended in between is not counted; one that started is counted from zero).
     */
    long contextSwitchesSince(Sample earlier) {
      long sum = 0;
      for (Map.Entry<Long, Long> thread : contextSwitchesByThread.entrySet()) {
        sum +=
            Math.max(
                0,
                thread.getValue()
                    - earlier.contextSwitchesByThread.getOrDefault(thread.getKey(), 0L));
      }
      return sum;
    }
  }

  /** Whether this system has {@code /proc} (Linux). */
  static boolean available() {
    return Files.isReadable(PROC.resolve("self").resolve("stat"));
  }

  /**
   * Reads the counters of {@code pid}.
   *
   * @throws BenchmarkFailure when the process is gone
   */
  static Sample sample(long pid) {
    Path dir = PROC.resolve(Long.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
      // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
      long utime = Long.parseLong(fields[11]);
      long stime = Long.parseLong(fields[12]);
      Map<Long, Long> switches = new HashMap<>();
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(dir.resolve("task"))) {
        for (Path task : tasks) {
          long count = contextSwitches(task.resolve("status"));
          if (count >= 0) {
            switches.put(Long.parseLong(task.getFileName().toString()), count);
          }
        }
      }
      return new Sample(utime + stime, switches);
    } catch (IOException e) {
      throw new BenchmarkFailure("cannot read /proc of pid " + pid + ": " + e.getMessage(), e);
    }
  }

  /**
   * The CPU time of the whole machine (all CPUs) at one moment, in clock ticks, from the first line
   * of {@code /proc/stat}.
   *
   * @param busyTicks user, nice, system, irq, softirq and steal
   * @param totalTicks busy, idle and iowait
   */
  record MachineSample(long busyTicks, long totalTicks) {}

  /**
   * Reads the machine's CPU time.
   *
   * @throws BenchmarkFailure when it cannot be read
   */
  static MachineSample machine() {
    try {
      String first = Files.readAllLines(PROC.resolve("stat"), StandardCharsets.US_ASCII).get(0);
      String[] fields = first.trim().split(" +");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += i < fields.length ? Long.parseLong(fields[i]) : 0;
      }
      long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
      return new MachineSample(busy, busy + idle);
    } catch (IOException | RuntimeException e) {
      throw new BenchmarkFailure("cannot read /proc/stat: " + e.getMessage(), e);
    }
  }

  /** Voluntary + involuntary switches of one thread, or -1 when it ended while being read. */
  private static long contextSwitches(Path status) throws IOException {
    String text;
    try {
      text = Files.readString(status, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return -1;
    }
    long sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("voluntary_ctxt_switches:")
          || line.startsWith("nonvoluntary_ctxt_switches:")) {
        sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return sum;
  }

  /** Clock ticks per second ({@code getconf CLK_TCK}; 100 when that cannot be run). */
  static long clockTicksPerSecond() {
    long ticks = clockTicksPerSecond;
    if (ticks == 0) {
      ticks = 100;
      try {
        Process getconf =
            new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (getconf.waitFor() == 0) {
          ticks = Long.parseLong(out.trim());
        }
      } catch (IOException | NumberFormatException e) {
        // keep the Linux default
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      clockTicksPerSecond = ticks;
    }
    return ticks;
  }
}
