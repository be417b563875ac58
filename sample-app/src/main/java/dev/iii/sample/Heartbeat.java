package dev.iii.sample;

import dev.iii.spring.annotation.CronTrigger;
import dev.iii.spring.annotation.IIIFunction;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A cron job: the engine calls {@code jobs::heartbeat} on the schedule in {@code
 * sample.heartbeat.cron} (every ten seconds by default; seconds first, UTC).
 */
@Component
public class Heartbeat {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final AtomicLong ticks = new AtomicLong();

  @IIIFunction(id = "jobs::heartbeat", description = "Logs a heartbeat")
  @CronTrigger("${sample.heartbeat.cron}")
  public void beat() {
    log.info("Heartbeat #{}", ticks.incrementAndGet());
  }

  /** How many times the engine has run the job. */
  public long ticks() {
    return ticks.get();
  }
}
