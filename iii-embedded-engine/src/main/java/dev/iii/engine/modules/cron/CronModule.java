package dev.iii.engine.modules.cron;

import dev.iii.engine.config.CronConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.TriggerConditions;
import dev.iii.engine.registry.InvalidTriggerException;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Trigger type {@code cron}: calls the bound functions on a schedule (UTC, seconds first; see
 * {@link CronExpression}).
 *
 * <p>Each trigger is one job on the engine scheduler. A tick computes its event, checks the
 * optional {@code condition_function_id} function, and calls the bound function with the trigger's
 * metadata; the next fire time is computed only once that call has ended, so runs of one job never
 * overlap and ticks missed during a long run are skipped, not queued — as in the official engine.
 *
 * <p>Concurrency: the job map is concurrent; each job's state changes only on the scheduler thread
 * or in its call's completion, and its flags are volatile.
 */
public final class CronModule implements EngineModule {

  /** The trigger type id. */
  public static final String TRIGGER_TYPE = "cron";

  /** The condition key of iii 0.8.3, which engines since 0.9.0 ignore. */
  private static final Logger log = LoggerFactory.getLogger(CronModule.class);

  private final CronConfig config;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private @Nullable ModuleContext context;

  /** A cron module; its schedules start when the module starts. */
  public CronModule(CronConfig config) {
    this.config = config;
  }

  @Override
  public void start(ModuleContext context) {
    this.context = context;
    context.registerTriggerType(
        TRIGGER_TYPE, "Calls a function on a cron schedule", new Provider());
  }

  /** The module's configuration. */
  public CronConfig config() {
    return config;
  }

  /** Ids of the triggers currently scheduled. */
  public Set<String> jobIds() {
    return Set.copyOf(jobs.keySet());
  }

  @Override
  public void close() {
    jobs.values().forEach(Job::cancel);
    jobs.clear();
  }

  /**
   * The payload of one tick. Times are RFC 3339 with a {@code +00:00} offset and a fraction only
   * when it is not zero, as chrono's {@code to_rfc3339()} writes them.
   */
  static ObjectNode event(String jobId, Instant scheduled, Instant actual) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("trigger", TRIGGER_TYPE);
    event.put("job_id", jobId);
    event.put("scheduled_time", rfc3339(scheduled));
    event.put("actual_time", rfc3339(actual));
    return event;
  }

  private static final DateTimeFormatter SECONDS_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  /**
   * An instant as the official engine writes it (chrono's {@code to_rfc3339()}): UTC as {@code
   * +00:00}, and 0, 3, 6 or 9 fraction digits, the fewest that are exact.
   */
  public static String rfc3339(Instant instant) {
    int nanos = instant.getNano();
    String fraction;
    if (nanos == 0) {
      fraction = "";
    } else if (nanos % 1_000_000 == 0) {
      fraction = String.format(".%03d", nanos / 1_000_000);
    } else if (nanos % 1_000 == 0) {
      fraction = String.format(".%06d", nanos / 1_000);
    } else {
      fraction = String.format(".%09d", nanos);
    }
    return SECONDS_FORMAT.format(instant) + fraction + "+00:00";
  }

  private ModuleContext context() {
    ModuleContext current = context;
    if (current == null) {
      throw new IllegalStateException("the cron module is not started");
    }
    return current;
  }

  /** Arms and disarms jobs for the trigger registry. */
  private final class Provider implements TriggerProvider {

    @Override
    public void register(Trigger trigger) {
      // Checked in the official engine's order, with its messages.
      JsonNode node = trigger.config().path("expression");
      String expression = node.isString() ? node.asString() : "";
      if (expression.isEmpty()) {
        throw new InvalidTriggerException("Cron expression is required");
      }
      if (jobs.containsKey(trigger.id())) {
        throw new InvalidTriggerException("Cron job '" + trigger.id() + "' is already registered");
      }
      CronExpression schedule;
      try {
        schedule = CronExpression.parse(expression);
      } catch (IllegalArgumentException e) {
        throw new InvalidTriggerException(
            "Invalid cron expression '" + expression + "': Invalid expression: " + e.getMessage());
      }
      Job job =
          new Job(
              trigger.id(),
              trigger.functionId(),
              TriggerConditions.conditionFunctionId(trigger),
              trigger.metadata(),
              schedule);
      if (jobs.putIfAbsent(trigger.id(), job) != null) {
        throw new InvalidTriggerException("Cron job '" + trigger.id() + "' is already registered");
      }
      log.info("Cron job {} ({}) -> {}", trigger.id(), schedule, trigger.functionId());
      job.scheduleNext(Instant.now());
    }

    @Override
    public void unregister(Trigger trigger) {
      Job job = jobs.remove(trigger.id());
      if (job != null) {
        job.cancel();
        log.info("Cron job {} -> {} unregistered", trigger.id(), trigger.functionId());
      }
    }
  }

  /** One scheduled trigger. Its state changes only on the scheduler or in a call's completion. */
  private final class Job {

    private final String id;
    private final String functionId;
    private final @Nullable String conditionFunctionId;
    private final @Nullable JsonNode metadata;
    private final CronExpression schedule;
    private volatile boolean cancelled;
    private volatile @Nullable ScheduledFuture<?> timer;

    Job(
        String id,
        String functionId,
        @Nullable String conditionFunctionId,
        @Nullable JsonNode metadata,
        CronExpression schedule) {
      this.id = id;
      this.functionId = functionId;
      this.conditionFunctionId = conditionFunctionId;
      this.metadata = metadata;
      this.schedule = schedule;
    }

    /**
     * Schedules the first fire time after {@code notBefore} (or after now, if later): the floor
     * keeps a timer that wakes a little early by the wall clock from firing the same tick twice.
     */
    void scheduleNext(Instant notBefore) {
      if (cancelled) {
        return;
      }
      Instant now = Instant.now();
      Instant next = schedule.nextAfter(now.isAfter(notBefore) ? now : notBefore);
      if (next == null) {
        log.warn("Cron job {} has no upcoming fire time; it stops", id);
        return;
      }
      long delayNanos = Math.max(0, Duration.between(now, next).toNanos());
      try {
        timer = context().scheduler().schedule(() -> fire(next), delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // The engine is shutting down: its scheduler no longer takes work.
        log.debug("Cron job {} not rescheduled: the engine is stopping", id);
      }
    }

    private void fire(Instant scheduled) {
      if (cancelled) {
        return;
      }
      ObjectNode event = event(id, scheduled, Instant.now());
      checkCondition(event)
          .thenCompose(
              proceed -> {
                if (!proceed || cancelled) {
                  return CompletableFuture.completedFuture(null);
                }
                log.debug("Cron job {} -> {}", id, functionId);
                return context()
                    .invocations()
                    .call(functionId, event, metadata)
                    .handle(
                        (result, error) -> {
                          if (error != null) {
                            log.error(
                                "Cron job {} call to {} failed: {}",
                                id,
                                functionId,
                                error.getMessage());
                          }
                          return null;
                        });
              })
          .whenComplete((ignored, error) -> scheduleNext(scheduled));
    }

    /**
     * Only a JSON {@code false} skips the tick; a failing condition skips it too. Called without
     * the trigger's metadata, as the official engine calls conditions.
     */
    private CompletableFuture<Boolean> checkCondition(ObjectNode event) {
      String condition = conditionFunctionId;
      if (condition == null) {
        return CompletableFuture.completedFuture(true);
      }
      return context()
          .invocations()
          .call(condition, event.deepCopy())
          .handle(
              (result, error) -> {
                if (error != null) {
                  log.error(
                      "Cron job {}: condition function {} failed: {}",
                      id,
                      condition,
                      error.getMessage());
                  return false;
                }
                return result == null || !(result.isBoolean() && !result.booleanValue());
              });
    }

    void cancel() {
      cancelled = true;
      ScheduledFuture<?> current = timer;
      if (current != null) {
        current.cancel(false);
      }
    }
  }
}
