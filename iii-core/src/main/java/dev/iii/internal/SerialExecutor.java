package dev.iii.internal;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on threads of another executor. Submitting never
 * blocks and takes no lock (a lock-free queue and a work-in-progress counter), so any thread — an
 * event loop included — may hand work to it.
 */
public final class SerialExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor delegate;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Runnable drain = this::drain;

  public SerialExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    if (pending.getAndIncrement() == 0) {
      try {
        delegate.execute(drain);
      } catch (RejectedExecutionException e) {
        drain.run(); // the pool is shut down: last tasks run here rather than never
      }
    }
  }

  /**
   * Like {@link #execute}, but when nothing is running, runs the task (and any queued meanwhile) on
   * the calling thread at once.
   */
  public void executeHere(Runnable task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    if (pending.getAndIncrement() == 0) {
      drain.run();
    }
  }

  private void drain() {
    do {
      Runnable task = tasks.poll();
      if (task != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.error("Task failed", e);
        }
      }
    } while (pending.decrementAndGet() != 0);
  }
}
