package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.engine.config.CronConfig;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.modules.cron.CronModule;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.InvalidTriggerException;
import dev.iii.engine.registry.ServiceRegistry;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.WorkerRegistry;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.router.MessageRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The {@code cron} trigger type: the tick payload, one job per trigger, no overlapping runs,
 * unregistering and disconnecting stop the job, conditions, and refused expressions.
 */
class CronTriggerTest extends EngineTestSupport {

  /** Long enough for two ticks of an every-second schedule, with room for a slow machine. */
  private static final Duration TICKS = Duration.ofSeconds(4);

  private static final String RFC3339_WHOLE_SECOND =
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+00:00";
  private static final String RFC3339 =
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.(\\d{3}|\\d{6}|\\d{9}))?\\+00:00";

  private static String cronTrigger(String id, String functionId, String configJson) {
    return json("{'type':'registertrigger','id':'%s','trigger_type':'cron','function_id':'%s',"
            + "'config':%s}")
        .formatted(id, functionId, configJson);
  }

  private static String everySecond(String id, String functionId) {
    return cronTrigger(id, functionId, json("{'expression':'* * * * * *'}"));
  }

  @Test
  void theJavaClientReceivesATickEverySecondWithTheOfficialPayload() throws Exception {
    List<Map<String, Object>> ticks = new CopyOnWriteArrayList<>();
    try (III client = new III(engine.wsUrl())) {
      client.connect().get();
      client.registerFunction(
          "cron::tick",
          input -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> event = (Map<String, Object>) input;
            ticks.add(event);
            return null;
          });
      dev.iii.Trigger trigger =
          client.registerTrigger("cron", "cron::tick", Map.of("expression", "* * * * * *"));

      await().atMost(TICKS).until(() -> ticks.size() >= 2);
      trigger.unregister();

      Map<String, Object> first = ticks.get(0);
      assertThat(first.keySet())
          .containsExactly("trigger", "job_id", "scheduled_time", "actual_time");
      assertThat(first.get("trigger")).isEqualTo("cron");
      assertThat(first.get("job_id")).isEqualTo(trigger.id());
      assertThat((String) first.get("scheduled_time")).matches(RFC3339_WHOLE_SECOND);
      assertThat((String) first.get("actual_time")).matches(RFC3339);
      Instant firstTime = Instant.parse((String) first.get("scheduled_time"));
      Instant secondTime = Instant.parse((String) ticks.get(1).get("scheduled_time"));
      assertThat(secondTime).isAfterOrEqualTo(firstTime.plusSeconds(1));
      assertThat(Instant.parse((String) first.get("actual_time"))).isAfterOrEqualTo(firstTime);
    }
  }

  @Test
  void unregisteringStopsTheJob() {
    RawWorker worker = connect();
    registerFunction(worker, "cron::tick");
    worker.send(everySecond("job-1", "cron::tick"));
    worker.reply(worker.awaitInvocation("cron::tick", TICKS), "null");

    worker.sendAndSync(json("{'type':'unregistertrigger','id':'job-1'}"));
    // A tick already being delivered may still arrive; none after it.
    worker.drain();

    worker.expectNoMessage(
        m -> "invokefunction".equals(m.path("type").asString()), Duration.ofMillis(2500));
  }

  @Test
  void runsNeverOverlapAndMissedTicksAreSkipped() {
    RawWorker worker = connect();
    registerFunction(worker, "cron::slow");
    worker.send(everySecond("slow-job", "cron::slow"));

    JsonNode first = worker.awaitInvocation("cron::slow", TICKS);
    // While the first run is unanswered, the next ticks are not delivered.
    worker.expectNoMessage(
        m -> "invokefunction".equals(m.path("type").asString()), Duration.ofMillis(2500));
    Instant answeredAt = Instant.now();
    worker.reply(first, "null");

    JsonNode second = worker.awaitInvocation("cron::slow", TICKS);
    Instant firstTime = Instant.parse(first.path("data").path("scheduled_time").asString());
    Instant secondTime = Instant.parse(second.path("data").path("scheduled_time").asString());
    assertThat(secondTime)
        .as("the ticks missed during the run are skipped, not delivered late")
        .isAfter(answeredAt.minusSeconds(1))
        .isAfterOrEqualTo(firstTime.plusSeconds(2));
  }

  @Test
  void aDisconnectedRegistrantsJobsStop() {
    RawWorker handler = connect();
    RawWorker registrant = connect();
    registerFunction(handler, "cron::handled");
    registrant.send(everySecond("owned-job", "cron::handled"));
    handler.reply(handler.awaitInvocation("cron::handled", TICKS), "null");

    registrant.close();
    awaitDisconnected(handler, registrant);
    handler.drain();

    handler.expectNoMessage(
        m -> "invokefunction".equals(m.path("type").asString()), Duration.ofMillis(2500));
  }

  @Test
  void aFalseConditionSkipsTheTickAndAnyOtherValueRunsIt() {
    RawWorker worker = connect();
    registerFunction(worker, "cron::handler");
    registerFunction(worker, "cron::condition");
    worker.send(
        cronTrigger(
            "cond-job",
            "cron::handler",
            json("{'expression':'* * * * * *','condition_function_id':'cron::condition'}")));

    JsonNode check = worker.awaitInvocation("cron::condition", TICKS);
    assertThat(check.path("data").path("job_id").asString()).isEqualTo("cond-job");
    assertThat(check.path("data").path("trigger").asString()).isEqualTo("cron");
    worker.reply(check, "false");
    JsonNode nextCheck = worker.awaitInvocation("cron::condition", TICKS);
    assertThat(worker.drain())
        .as("the handler is not called after false")
        .noneMatch(m -> "cron::handler".equals(m.path("function_id").asString()));

    worker.reply(nextCheck, "{'ok':true}".replace('\'', '"'));
    JsonNode run = worker.awaitInvocation("cron::handler", TICKS);
    assertThat(run.path("data").path("scheduled_time").asString())
        .isEqualTo(nextCheck.path("data").path("scheduled_time").asString());
  }

  @Test
  void anInvalidExpressionIsRefusedWithAClearErrorToTheRegistrant() {
    RawWorker worker = connect();
    registerFunction(worker, "cron::never");

    worker.send(cronTrigger("five-fields", "cron::never", json("{'expression':'* * * * *'}")));
    JsonNode refused = worker.awaitType("triggerregistrationresult");
    assertThat(keys(refused)).containsExactly("type", "id", "trigger_type", "function_id", "error");
    assertThat(refused.path("id").asString()).isEqualTo("five-fields");
    assertThat(refused.path("trigger_type").asString()).isEqualTo("cron");
    assertThat(refused.path("function_id").asString()).isEqualTo("cron::never");
    assertThat(refused.path("error").path("code").asString())
        .isEqualTo("trigger_registration_failed");
    assertThat(refused.path("error").path("message").asString())
        .isEqualTo(
            "Invalid cron expression '* * * * *': Invalid expression: Expression has 5 fields."
                + " Valid cron expressions have 6 or 7.");

    worker.send(cronTrigger("no-expression", "cron::never", "{}"));
    assertThat(
            worker.awaitType("triggerregistrationresult").path("error").path("message").asString())
        .isEqualTo("Cron expression is required");

    List<String> ids = new ArrayList<>();
    for (JsonNode trigger :
        worker.callResult("engine::registered-triggers::list", "{}").path("registered_triggers")) {
      ids.add(trigger.path("id").asString());
    }
    assertThat(ids).doesNotContain("five-fields", "no-expression");
  }

  @Test
  void theProviderRefusesADuplicateJobIdUntilItIsUnregistered() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    FunctionRegistry functions = new FunctionRegistry();
    TriggerRegistry triggers = new TriggerRegistry();
    InvocationRouter invocations = new InvocationRouter(functions, triggers);
    WorkerRegistry workers = new WorkerRegistry();
    ModuleContext context =
        new ModuleContext(
            workers,
            functions,
            triggers,
            invocations,
            new MessageRouter(workers, functions, triggers, new ServiceRegistry(), invocations),
            new ChannelRegistry(),
            scheduler);
    try (CronModule cron = new CronModule(new CronConfig())) {
      cron.start(context);
      TriggerProvider provider = triggers.type("cron").provider();
      Trigger trigger =
          new Trigger("dup", "cron", "f", parse(json("{'expression':'0 0 * * * *'}")), null);

      provider.register(trigger);
      assertThatThrownBy(() -> provider.register(trigger))
          .isInstanceOf(InvalidTriggerException.class)
          .hasMessage("Cron job 'dup' is already registered");
      assertThat(cron.jobIds()).containsExactly("dup");

      provider.unregister(trigger);
      assertThat(cron.jobIds()).isEmpty();
      provider.register(trigger);
      assertThat(cron.jobIds()).containsExactly("dup");
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void theTriggersMetadataReachesTheHandlerButNotTheCondition() {
    RawWorker worker = connect();
    registerFunction(worker, "cron::handler");
    registerFunction(worker, "cron::condition");
    worker.send(
        json(
            "{'type':'registertrigger','id':'meta-job','trigger_type':'cron',"
                + "'function_id':'cron::handler','metadata':{'team':'ops','n':[1]},"
                + "'config':{'expression':'* * * * * *',"
                + "'condition_function_id':'cron::condition'}}"));

    JsonNode check = worker.awaitInvocation("cron::condition", TICKS);
    assertThat(check.has("metadata"))
        .as("the official engine calls conditions without it")
        .isFalse();
    worker.reply(check, "true");
    JsonNode run = worker.awaitInvocation("cron::handler", TICKS);
    assertThat(run.get("metadata")).isEqualTo(parse(json("{'team':'ops','n':[1]}")));
    assertThat(run.path("data").path("job_id").asString()).isEqualTo("meta-job");
  }

  @Test
  void theDeprecatedConditionKeyStillWorksButIsWarnedAboutOnce() {
    RawWorker worker = connect();
    registerFunction(worker, "cron::handler");
    registerFunction(worker, "cron::condition");
    try (EngineLogCapture logs = new EngineLogCapture()) {
      worker.sendAndSync(
          cronTrigger(
              "old-key-job",
              "cron::handler",
              json("{'expression':'* * * * * *','_condition_path':'cron::condition'}")));

      assertThat(logs.warnings())
          .filteredOn(line -> line.contains("old-key-job"))
          .singleElement()
          .asString()
          .contains("_condition_path", "ignore", "condition_function_id");
    }
    JsonNode check = worker.awaitInvocation("cron::condition", TICKS);
    worker.reply(check, "false");
    worker.awaitInvocation("cron::condition", TICKS);
    assertThat(worker.drain())
        .noneMatch(m -> "cron::handler".equals(m.path("function_id").asString()));
  }

  @Test
  void refusalsAreCheckedInTheOfficialOrder() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    FunctionRegistry functions = new FunctionRegistry();
    TriggerRegistry triggers = new TriggerRegistry();
    InvocationRouter invocations = new InvocationRouter(functions, triggers);
    WorkerRegistry workers = new WorkerRegistry();
    ModuleContext context =
        new ModuleContext(
            workers,
            functions,
            triggers,
            invocations,
            new MessageRouter(workers, functions, triggers, new ServiceRegistry(), invocations),
            new ChannelRegistry(),
            scheduler);
    try (CronModule cron = new CronModule(new CronConfig())) {
      cron.start(context);
      TriggerProvider provider = triggers.type("cron").provider();
      provider.register(
          new Trigger("job", "cron", "f", parse(json("{'expression':'0 0 * * * *'}")), null));

      // A duplicate id is refused before its expression is even parsed.
      assertThatThrownBy(
              () ->
                  provider.register(
                      new Trigger("job", "cron", "f", parse(json("{'expression':'bad'}")), null)))
          .hasMessage("Cron job 'job' is already registered");
      assertThatThrownBy(
              () ->
                  provider.register(
                      new Trigger("job", "cron", "f", parse(json("{'expression':5}")), null)))
          .hasMessage("Cron expression is required");
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void timesAreWrittenAsTheOfficialEngineWritesThem() {
    assertThat(CronModule.rfc3339(Instant.parse("2025-01-01T12:00:00Z")))
        .isEqualTo("2025-01-01T12:00:00+00:00");
    assertThat(CronModule.rfc3339(Instant.parse("2025-01-01T12:00:00.5Z")))
        .isEqualTo("2025-01-01T12:00:00.500+00:00");
    assertThat(CronModule.rfc3339(Instant.parse("2025-01-01T12:00:00.003417Z")))
        .isEqualTo("2025-01-01T12:00:00.003417+00:00");
    assertThat(CronModule.rfc3339(Instant.parse("2025-01-01T12:00:00.000000001Z")))
        .isEqualTo("2025-01-01T12:00:00.000000001+00:00");
  }
}
