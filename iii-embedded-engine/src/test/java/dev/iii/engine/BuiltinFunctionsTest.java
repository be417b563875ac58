package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Proves the engine's own functions and event trigger types on the wire: {@code
 * engine::workers::list} (including {@code latest_metrics} from worker gauges), {@code
 * engine::workers::register}, {@code engine::channels::create}, {@code engine::functions-available}
 * (prompt and coalesced, same payload as the official engine) and {@code
 * engine::workers-available}.
 */
class BuiltinFunctionsTest extends EngineTestSupport {

  private static final List<String> WORKER_INFO_KEYS =
      List.of(
          "id",
          "name",
          "description",
          "runtime",
          "version",
          "os",
          "ip_address",
          "status",
          "connected_at_ms",
          "function_count",
          "functions",
          "active_invocations",
          "isolation",
          "latest_metrics");

  // ------------------------------------------------------------ engine::workers::list

  @Test
  void workersListShowsWorkersWithAPidAndTheInProcessModulesInTheSupersetShape() {
    long before = System.currentTimeMillis();
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::one");
    registerFunction(b, "b::two");
    b.sendAndSync(
        json(
            "{'type':'invokefunction','function_id':'engine::workers::register','data':{'pid':9}}"));
    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::one','data':{}}")
            .formatted(uuid()));
    b.awaitInvocation("b::one");

    JsonNode list = a.callResult("engine::workers::list", "{}");
    long after = System.currentTimeMillis();

    assertThat(keys(list)).containsExactly("workers", "timestamp");
    assertThat(list.path("timestamp").asLong()).isBetween(before, after);
    // As v0.22.1: a connected worker that reported no pid (a) is left out; modules are listed,
    // sorted by name.
    List<String> names = new ArrayList<>();
    list.path("workers").forEach(w -> names.add(w.path("name").asString(w.path("id").asString())));
    assertThat(names)
        .isSorted()
        .contains(
            b.workerId(),
            "iii-cron",
            "iii-engine-functions",
            "iii-http",
            "iii-http-functions",
            "iii-observability",
            "iii-worker-manager")
        .doesNotContain(a.workerId());
    JsonNode module = workerInfo(list, "iii-engine-functions");
    assertThat(module.path("runtime").asString()).isEqualTo("engine");
    assertThat(module.path("status").asString()).isEqualTo("available");
    assertThat(module.path("isolation").asString()).isEqualTo("in-process");
    assertThat(module.path("ip_address").isNull()).isTrue();
    assertThat(strings(module.path("functions"))).contains("engine::functions::list");
    assertThat(module.path("function_count").asInt()).isEqualTo(module.path("functions").size());
    JsonNode info = workerInfo(list, b.workerId());
    assertThat(keys(info)).containsExactlyElementsOf(concat(WORKER_INFO_KEYS, "pid"));
    assertThat(info.path("name").isNull()).isTrue();
    assertThat(info.path("runtime").asString()).isEqualTo("unknown");
    assertThat(info.path("version").isNull()).isTrue();
    assertThat(info.path("os").isNull()).isTrue();
    assertThat(info.path("ip_address").asString()).isEqualTo("127.0.0.1");
    assertThat(info.path("status").asString()).isEqualTo("connected");
    assertThat(info.path("connected_at_ms").asLong()).isBetween(before, after);
    assertThat(info.path("function_count").asInt()).isEqualTo(2);
    assertThat(strings(info.path("functions"))).containsExactlyInAnyOrder("b::one", "b::two");
    assertThat(info.path("active_invocations").asInt()).isEqualTo(1);
    assertThat(info.path("latest_metrics").isNull()).isTrue();
  }

  @Test
  void workersListFiltersByWorkerId() {
    RawWorker a = connect();
    RawWorker b = connect();

    JsonNode onlyB =
        a.callResult("engine::workers::list", json("{'worker_id':'%s'}").formatted(b.workerId()));
    JsonNode nobody =
        a.callResult("engine::workers::list", json("{'worker_id':'%s'}").formatted(uuid()));

    assertThat(onlyB.path("workers")).hasSize(1);
    assertThat(onlyB.path("workers").get(0).path("id").asString()).isEqualTo(b.workerId());
    assertThat(nobody.path("workers")).isEmpty();
  }

  @Test
  void workersListReportsLatestMetricsFromWorkerGaugesSentOnAnyConnection() {
    RawWorker a = connect();
    RawWorker telemetry = connect(); // the SDKs send telemetry on a second connection
    a.sendAndSync(
        json(
            "{'type':'invokefunction','function_id':'engine::workers::register',"
                + "'data':{'runtime':'node'}}"));
    long nowNanos = System.currentTimeMillis() * 1_000_000L;
    long earlier = nowNanos - 5_000_000_000L;

    telemetry.sendBinary(
        ("MTRC"
                + metrics(
                    a.workerId(),
                    gauge("iii.worker.cpu.percent", "\"asDouble\":12.5", earlier),
                    gauge("iii.worker.memory.rss", "\"asInt\":1000", earlier),
                    gauge("iii.worker.memory.heap_used", "\"asInt\":\"2048\"", nowNanos),
                    gauge("iii.worker.uptime_seconds", "\"asDouble\":42.9", earlier),
                    gauge("some.other.gauge", "\"asDouble\":1", nowNanos)))
            .getBytes(StandardCharsets.UTF_8));
    telemetry.sync();

    JsonNode metrics = ownInfo(a).path("latest_metrics");
    assertThat(metrics.path("memory_heap_used").asLong()).isEqualTo(2048);
    assertThat(metrics.path("memory_rss").asLong()).isEqualTo(1000);
    assertThat(metrics.path("cpu_percent").asDouble()).isEqualTo(12.5);
    assertThat(metrics.path("uptime_seconds").isIntegralNumber()).isTrue();
    assertThat(metrics.path("uptime_seconds").asLong()).isEqualTo(42);
    assertThat(metrics.path("timestamp_ms").asLong()).isEqualTo(nowNanos / 1_000_000L);
    assertThat(metrics.path("runtime").asString()).isEqualTo("node");
    // Key order of the official WorkerMetrics struct; absent gauges are omitted.
    assertThat(keys(metrics))
        .containsExactly(
            "memory_heap_used",
            "memory_rss",
            "cpu_percent",
            "uptime_seconds",
            "timestamp_ms",
            "runtime");
  }

  @Test
  void latestMetricsIgnoresPointsOlderThanTwoMinutesAndOtherWorkers() {
    RawWorker a = connect();
    long old = (System.currentTimeMillis() - 180_000L) * 1_000_000L;
    long now = System.currentTimeMillis() * 1_000_000L;

    a.sendBinary(
        ("MTRC" + metrics(a.workerId(), gauge("iii.worker.cpu.percent", "\"asDouble\":1", old)))
            .getBytes(StandardCharsets.UTF_8));
    a.sendBinary(
        ("MTRC" + metrics(uuid(), gauge("iii.worker.cpu.percent", "\"asDouble\":2", now)))
            .getBytes(StandardCharsets.UTF_8));
    a.sync();

    assertThat(ownInfo(a).path("latest_metrics").isNull()).isTrue();
  }

  // ------------------------------------------------------------ engine::workers::register

  @Test
  void workersRegisterSentFireAndForgetDescribesTheCaller() {
    RawWorker a = connect();

    a.sendAndSync(
        json(
            "{'type':'invokefunction','function_id':'engine::workers::register','data':"
                + "{'runtime':'java','version':'0.1.0','name':'raw','os':'linux','pid':4242,"
                + "'telemetry':{'language':'java','project_name':'p','framework':null}}}"));

    JsonNode info = ownInfo(a);
    assertThat(keys(info))
        .containsExactlyElementsOf(
            concat(WORKER_INFO_KEYS, "pid")); // pid appears last, only once set
    assertThat(info.path("name").asString()).isEqualTo("raw");
    assertThat(info.path("runtime").asString()).isEqualTo("java");
    assertThat(info.path("version").asString()).isEqualTo("0.1.0");
    assertThat(info.path("os").asString()).isEqualTo("linux");
    assertThat(info.path("pid").asLong()).isEqualTo(4242);
    assertThat(a.drain()).isEmpty();
  }

  @Test
  void workersRegisterWithAnIdAnswersSuccessAndAppliesTheOfficialDefaults() {
    RawWorker a = connect();
    a.sendAndSync(
        json(
            "{'type':'invokefunction','function_id':'engine::workers::register','data':"
                + "{'runtime':'java','version':'0.1.0','name':'raw','os':'linux','pid':7}}"));

    JsonNode answer = a.call("engine::workers::register", json("{'name':'renamed'}"));

    assertThat(answer.path("result")).isEqualTo(parse(json("{'success':true}")));
    JsonNode info = ownInfo(a);
    assertThat(info.path("name").asString()).isEqualTo("renamed");
    assertThat(info.path("runtime").asString()).isEqualTo("unknown");
    assertThat(info.path("version").isNull()).isTrue();
    assertThat(info.path("os").asString()).isEqualTo("linux");
    assertThat(info.path("pid").asLong()).isEqualTo(7);
  }

  // ------------------------------------------------------------ engine::channels::create

  @Test
  void channelsCreateReturnsAWriterAndAReaderOfOneChannel() {
    RawWorker a = connect();

    JsonNode channel = a.callResult("engine::channels::create", json("{'buffer_size':8}"));

    assertThat(keys(channel)).containsExactly("writer", "reader");
    JsonNode writer = channel.path("writer");
    JsonNode reader = channel.path("reader");
    assertThat(keys(writer)).containsExactly("channel_id", "access_key", "direction");
    assertThat(keys(reader)).containsExactly("channel_id", "access_key", "direction");
    assertThat(writer.path("direction").asString()).isEqualTo("write");
    assertThat(reader.path("direction").asString()).isEqualTo("read");
    assertThat(writer.path("channel_id").asString())
        .isNotEmpty()
        .isEqualTo(reader.path("channel_id").asString());
    // Each end has its own key: a reader ref cannot open the writer end.
    assertThat(writer.path("access_key").asString())
        .isNotEmpty()
        .isNotEqualTo(reader.path("access_key").asString());
    assertThat(a.callResult("engine::channels::create", "{}").path("writer").path("channel_id"))
        .isNotEqualTo(writer.path("channel_id"));
  }

  @Test
  void builtinsAnswerDeserializationErrorForBadInput() {
    RawWorker a = connect();

    JsonNode channel = a.call("engine::channels::create", json("{'buffer_size':'big'}"));
    JsonNode list = a.call("engine::functions::list", json("{'include_internal':'yes'}"));

    assertThat(keys(channel.path("error"))).containsExactly("code", "message");
    assertThat(channel.path("error").path("code").asString()).isEqualTo("deserialization_error");
    assertThat(channel.path("error").path("message").asString())
        .startsWith("Failed to deserialize input for engine::channels::create: ");
    assertThat(list.path("error").path("code").asString()).isEqualTo("deserialization_error");
    assertThat(list.path("error").path("message").asString())
        .startsWith("Failed to deserialize input for engine::functions::list: ");
  }

  // ------------------------------------------------------------ engine::functions-available

  @Test
  void functionsAvailableFiresPromptlyWhenFunctionsChange() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(a, "a::sub");
    a.sendAndSync(
        json(
            "{'type':'registertrigger','id':'sub','trigger_type':'engine::functions-available',"
                + "'function_id':'a::sub','config':{}}"));

    registerFunction(b, "b::one");
    JsonNode added = a.awaitMessage(functionsChanged(ids -> ids.contains("b::one")), SECOND);

    assertThat(added.path("invocation_id").asString()).matches(InvocationRoutingTest.UUID_PATTERN);
    JsonNode data = added.path("data");
    assertThat(keys(data)).containsExactly("event", "functions");
    assertThat(data.path("event").asString()).isEqualTo("functions_changed");
    assertThat(functionIdsIn(data)).contains("a::sub", "b::one", "engine::functions::list");
    for (JsonNode info : data.path("functions")) {
      assertThat(keys(info))
          .containsExactly(
              "function_id",
              "worker_name",
              "description",
              "request_format",
              "response_format",
              "metadata");
    }
    a.reply(added, "null");
    a.drain();

    b.send(json("{'type':'unregisterfunction','id':'b::one'}"));
    a.awaitMessage(functionsChanged(ids -> !ids.contains("b::one")), SECOND);
    a.drain();

    registerFunction(b, "b::two");
    a.awaitMessage(functionsChanged(ids -> ids.contains("b::two")), SECOND);
    a.drain();

    b.abort();
    a.awaitMessage(functionsChanged(ids -> !ids.contains("b::two")), SECOND);
  }

  @Test
  void functionsAvailableCoalescesABurstAndIgnoresDescriptionChanges() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(a, "a::sub");
    a.sendAndSync(
        json(
            "{'type':'registertrigger','id':'sub','trigger_type':'engine::functions-available',"
                + "'function_id':'a::sub','config':{}}"));
    registerFunction(b, "b::warmup");
    a.awaitMessage(functionsChanged(ids -> ids.contains("b::warmup")), SECOND);
    a.drain();

    for (int i = 0; i < 20; i++) {
      b.send(json("{'type':'registerfunction','id':'b::burst%d'}").formatted(i));
    }
    a.awaitMessage(functionsChanged(ids -> ids.contains("b::burst19")), SECOND);
    long extra = a.drain().stream().filter(functionsChanged(ids -> true)).count();
    assertThat(extra).as("announcements besides the last one").isLessThanOrEqualTo(2);

    b.sendAndSync(json("{'type':'registerfunction','id':'b::warmup','description':'changed'}"));
    a.expectNoMessage(functionsChanged(ids -> true), Duration.ofMillis(400));
  }

  // ------------------------------------------------------------ engine::workers-available

  @Test
  void workersAvailableAnnouncesConnectMetadataAndDisconnect() {
    RawWorker a = connect();
    registerFunction(a, "a::workers");
    a.sendAndSync(
        json(
            "{'type':'registertrigger','id':'w','trigger_type':'engine::workers-available',"
                + "'function_id':'a::workers','config':{}}"));

    RawWorker c = connect();
    assertThat(a.awaitInvocation("a::workers").path("data"))
        .isEqualTo(
            parse(json("{'event':'worker_connected','worker_id':'%s'}").formatted(c.workerId())));

    c.callResult("engine::workers::register", json("{'name':'c'}"));
    assertThat(a.awaitInvocation("a::workers").path("data"))
        .isEqualTo(
            parse(
                json("{'event':'worker_metadata_updated','worker_id':'%s'}")
                    .formatted(c.workerId())));

    c.close();
    assertThat(a.awaitInvocation("a::workers").path("data"))
        .isEqualTo(
            parse(
                json("{'event':'worker_disconnected','worker_id':'%s'}").formatted(c.workerId())));
  }

  // ------------------------------------------------------------ helpers

  private static final Duration SECOND = Duration.ofSeconds(1);

  private static String metrics(String workerId, String... gauges) {
    return ("{'resourceMetrics':[{'resource':{'attributes':[]},'scopeMetrics':[{'scope':"
            + "{'name':'iii'},'metrics':["
            + String.join(",", gauges)
            + "]}]}]}")
        .replace("WORKER", workerId)
        .replace('\'', '"');
  }

  private static String gauge(String name, String value, long timeNanos) {
    return "{'name':'"
        + name
        + "','gauge':{'dataPoints':[{"
        + value
        + ",'timeUnixNano':'"
        + timeNanos
        + "','attributes':[{'key':'worker.id','value':{'stringValue':'WORKER'}},"
        + "{'key':'worker.name','value':{'stringValue':'w'}}]}]}}";
  }

  private static Predicate<JsonNode> functionsChanged(Predicate<List<String>> ids) {
    return m ->
        "invokefunction".equals(m.path("type").asString())
            && "a::sub".equals(m.path("function_id").asString())
            && ids.test(functionIdsIn(m.path("data")));
  }

  private static List<String> functionIdsIn(JsonNode data) {
    List<String> ids = new ArrayList<>();
    for (JsonNode info : data.path("functions")) {
      ids.add(info.path("function_id").asString());
    }
    return ids;
  }

  /** The worker's own row; by {@code worker_id}, which also lists a worker without a pid. */
  private static JsonNode ownInfo(RawWorker worker) {
    return workerInfo(
        worker.callResult(
            "engine::workers::list", json("{'worker_id':'%s'}").formatted(worker.workerId())),
        worker.workerId());
  }

  private static JsonNode workerInfo(JsonNode list, String workerId) {
    for (JsonNode info : list.path("workers")) {
      if (workerId.equals(info.path("id").asString())) {
        return info;
      }
    }
    throw new AssertionError(workerId + " not listed in " + list);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asString()));
    return values;
  }

  private static List<String> concat(List<String> list, String last) {
    List<String> all = new ArrayList<>(list);
    all.add(last);
    return all;
  }
}
