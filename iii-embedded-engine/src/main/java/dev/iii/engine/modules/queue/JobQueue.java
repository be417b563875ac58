package dev.iii.engine.modules.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One queue: messages waiting ({@code ready}), being delivered ({@code inFlight}), waiting for a
 * retry ({@code delayed}) and dead-lettered ({@code dead}). At most {@code prefetch} messages are
 * delivered at once; a failed delivery is retried after {@code backoff × 2^(attempt−1)} on the
 * host's timer, at the head of the queue, until the message has had {@code maxAttempts} deliveries;
 * then it is dead-lettered. A FIFO queue delivers one message at a time and holds the queue while
 * its message waits for a retry, so messages of a group are processed in order.
 *
 * <p>Bounds: {@link #MAX_MESSAGES} live messages ({@link QueueFullException} beyond) and {@link
 * #MAX_DEAD_LETTERS} dead letters (the oldest is dropped, logged).
 *
 * <p>Concurrency: every field is guarded by the queue's monitor; deliveries are started and retries
 * scheduled after the monitor is released.
 */
final class JobQueue {

  /** Live (waiting, delivered or delayed) messages one queue holds at most. */
  static final int MAX_MESSAGES = 100_000;

  /** Dead letters one queue keeps at most; beyond, the oldest is dropped. */
  static final int MAX_DEAD_LETTERS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

  /** How a queue delivers: its retry and concurrency settings. */
  record Settings(int maxAttempts, long backoffMs, int prefetch, boolean fifo) {}

  /** What a queue needs from its module: delivery, a timer, a clock and a change signal. */
  interface Host {

    /** Delivers a message; the stage fails when the function failed. */
    CompletionStage<?> deliver(JobQueue queue, Job job);

    /** Runs {@code task} after {@code delayMs}; never blocks. */
    void schedule(Runnable task, long delayMs);

    /** Epoch milliseconds. */
    long now();

    /** Something changed that the file store should save. */
    void changed();
  }

  private final String name;
  private final Host host;
  private final Function<Throwable, String> errorText;
  private Settings settings;
  private boolean active;
  private boolean closed;
  private final ArrayDeque<Job> ready = new ArrayDeque<>();
  private final Map<String, Job> inFlight = new LinkedHashMap<>();
  private final Map<String, Job> delayed = new LinkedHashMap<>();
  private final ArrayDeque<DeadLetter> dead = new ArrayDeque<>();

  /**
   * A queue; it delivers once {@link #activate activated}.
   *
   * @param name the queue's name in logs
   * @param errorText what a dead letter records of a failed delivery
   */
  JobQueue(String name, Settings settings, Host host, Function<Throwable, String> errorText) {
    this.name = name;
    this.settings = settings;
    this.host = host;
    this.errorText = errorText;
  }

  String name() {
    return name;
  }

  synchronized Settings settings() {
    return settings;
  }

  /** Starts (or resumes) delivering, with these settings. */
  void activate(Settings settings) {
    synchronized (this) {
      this.settings = settings;
      this.active = true;
    }
    pump();
  }

  /** Stops delivering new messages (a durable topic lost its last subscriber); keeps them. */
  synchronized void pause() {
    active = false;
  }

  /** Stops for good: nothing is delivered or retried any more. */
  synchronized void close() {
    closed = true;
    active = false;
  }

  /**
   * Adds a message at the tail.
   *
   * @throws QueueFullException when the queue holds {@link #MAX_MESSAGES} live messages
   */
  void offer(Job job) {
    synchronized (this) {
      if (liveCount() >= MAX_MESSAGES) {
        throw new QueueFullException(name, MAX_MESSAGES);
      }
      ready.addLast(job);
    }
    host.changed();
    pump();
  }

  private int liveCount() {
    return ready.size() + inFlight.size() + delayed.size();
  }

  /** Starts as many deliveries as the queue's concurrency allows. */
  void pump() {
    List<Job> started = new ArrayList<>();
    synchronized (this) {
      if (!active || closed) {
        return;
      }
      int busy = inFlight.size() + (settings.fifo() ? delayed.size() : 0);
      int limit = settings.fifo() ? 1 : settings.prefetch();
      while (busy < limit && !ready.isEmpty()) {
        Job job = ready.pollFirst();
        inFlight.put(job.id(), job);
        started.add(job);
        busy++;
      }
    }
    for (Job job : started) {
      CompletionStage<?> delivery;
      try {
        delivery = host.deliver(this, job);
      } catch (RuntimeException e) {
        settled(job, e);
        continue;
      }
      delivery.whenComplete((ignored, error) -> settled(job, error));
    }
  }

  private void settled(Job job, @Nullable Throwable error) {
    long delay = -1;
    synchronized (this) {
      // Once closed, an in-flight message stays in flight: the store saves it as waiting.
      if (closed || inFlight.remove(job.id()) == null) {
        return;
      }
      if (error != null) {
        Job failed = job.failedOnce();
        if (failed.exhausted()) {
          deadLetter(failed, errorText.apply(error));
        } else {
          delayed.put(failed.id(), failed);
          delay = failed.backoffDelayMs();
        }
      }
    }
    host.changed();
    if (delay >= 0) {
      host.schedule(() -> retryDue(job.id()), delay);
    }
    pump();
  }

  private void deadLetter(Job job, String error) {
    if (dead.size() >= MAX_DEAD_LETTERS) {
      DeadLetter dropped = dead.pollFirst();
      log.warn(
          "Queue {}: {} dead letters, the most kept; dropped the oldest, {} for {}",
          name,
          MAX_DEAD_LETTERS,
          dropped == null ? "?" : dropped.job().id(),
          dropped == null ? "?" : dropped.job().functionId());
    }
    dead.addLast(new DeadLetter(job, error, host.now()));
    log.warn(
        "Queue {}: job {} for {} failed {} times; moved to the dead-letter queue: {}",
        name,
        job.id(),
        job.functionId(),
        job.attemptsMade(),
        error);
  }

  private void retryDue(String jobId) {
    synchronized (this) {
      Job job = delayed.remove(jobId);
      if (job == null || closed) {
        return;
      }
      // At the head, as the official engine does (rpush onto the consumed end): retries go first.
      ready.addFirst(job);
    }
    pump();
  }

  /** Moves every dead letter back to the tail with its attempts reset; returns how many. */
  int redriveAll() {
    int count;
    synchronized (this) {
      count = dead.size();
      while (!dead.isEmpty()) {
        ready.addLast(dead.pollFirst().job().withAttempts(0));
      }
    }
    if (count > 0) {
      host.changed();
      pump();
    }
    return count;
  }

  /** Moves one dead letter back to the tail; returns whether it was found. */
  boolean redrive(String jobId) {
    DeadLetter letter = removeDead(jobId);
    if (letter == null) {
      return false;
    }
    synchronized (this) {
      ready.addLast(letter.job().withAttempts(0));
    }
    pump();
    return true;
  }

  /** Drops one dead letter; returns whether it was found. */
  boolean discard(String jobId) {
    return removeDead(jobId) != null;
  }

  private @Nullable DeadLetter removeDead(String jobId) {
    DeadLetter found = null;
    synchronized (this) {
      for (Iterator<DeadLetter> it = dead.iterator(); it.hasNext(); ) {
        DeadLetter letter = it.next();
        if (letter.job().id().equals(jobId)) {
          it.remove();
          found = letter;
          break;
        }
      }
    }
    if (found != null) {
      host.changed();
    }
    return found;
  }

  /** The dead letters, newest first (as the official engine lists them). */
  synchronized List<DeadLetter> deadLetters() {
    List<DeadLetter> letters = new ArrayList<>(dead);
    java.util.Collections.reverse(letters);
    return letters;
  }

  synchronized int deadCount() {
    return dead.size();
  }

  /** Waiting plus being delivered: the official {@code depth} (delayed retries not counted). */
  synchronized int depth() {
    return ready.size() + inFlight.size();
  }

  synchronized boolean isEmpty() {
    return liveCount() == 0 && dead.isEmpty();
  }

  /**
   * The queue's messages for the file store: in-flight ones are saved as waiting (they are
   * delivered again after a restart: at least once).
   */
  synchronized ObjectNode snapshot() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    var waiting = node.putArray("ready");
    inFlight.values().forEach(job -> waiting.add(job.toJson()));
    ready.forEach(job -> waiting.add(job.toJson()));
    var retrying = node.putArray("delayed");
    delayed.values().forEach(job -> retrying.add(job.toJson()));
    var letters = node.putArray("dlq");
    dead.forEach(letter -> letters.add(letter.toJson()));
    return node;
  }

  /** Restores saved messages; delayed ones are due at once. Call before activating. */
  synchronized void restore(JsonNode saved) {
    saved.path("delayed").forEach(job -> ready.addLast(Job.fromJson(job)));
    saved.path("ready").forEach(job -> ready.addLast(Job.fromJson(job)));
    saved.path("dlq").forEach(letter -> dead.addLast(DeadLetter.fromJson(letter)));
  }
}
