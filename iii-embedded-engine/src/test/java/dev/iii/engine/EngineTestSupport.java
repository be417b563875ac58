package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

/** A fresh engine on free ports for every test, and raw workers that are closed after it. */
abstract class EngineTestSupport {

  protected EmbeddedEngine engine;
  private final List<RawWorker> workers = new ArrayList<>();

  @BeforeEach
  final void startEngine() {
    engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .build()
            .start();
  }

  @AfterEach
  final void stopEngine() {
    for (RawWorker worker : workers) {
      worker.abort();
    }
    engine.close();
  }

  /** A new worker connection, already past its {@code workerregistered}. */
  protected RawWorker connect() {
    RawWorker worker = RawWorker.connect(engine);
    workers.add(worker);
    return worker;
  }

  /** JSON written with single quotes, for readability: {@code json("{'type':'ping'}")}. */
  protected static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  protected static JsonNode parse(String json) {
    return RawWorker.MAPPER.readTree(json);
  }

  protected static String uuid() {
    return UUID.randomUUID().toString();
  }

  /** The keys of a JSON object, in wire order. */
  protected static List<String> keys(JsonNode node) {
    assertThat(node.isObject()).as("%s is an object", node).isTrue();
    return List.copyOf(node.propertyNames());
  }

  /** Registers a function on the worker and waits until the engine has handled it. */
  protected static void registerFunction(RawWorker worker, String functionId) {
    worker.sendAndSync(json("{'type':'registerfunction','id':'%s'}").formatted(functionId));
  }

  /** The result of {@code engine::functions::list}. */
  protected static JsonNode listFunctions(RawWorker caller, boolean includeInternal) {
    return caller.callResult(
        "engine::functions::list", includeInternal ? json("{'include_internal':true}") : "{}");
  }

  /** The function ids listed by {@code engine::functions::list}. */
  protected static List<String> functionIds(RawWorker caller, boolean includeInternal) {
    List<String> ids = new ArrayList<>();
    for (JsonNode info : withoutModules(listFunctions(caller, includeInternal).path("functions"))) {
      ids.add(info.path("function_id").asString());
    }
    return ids;
  }

  /**
   * The rows of a function or trigger type list without those of the engine's everyday modules
   * ({@code iii-state}, {@code iii-stream}, {@code iii-pubsub}, {@code iii-queue}), which the
   * default engine runs as the official one does: tests of what workers register leave them out.
   */
  static List<JsonNode> withoutModules(JsonNode rows) {
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode row : rows) {
      String worker = row.path("worker_name").asString("");
      if (!List.of("iii-state", "iii-stream", "iii-pubsub", "iii-queue").contains(worker)) {
        kept.add(row);
      }
    }
    return kept;
  }

  /** The FunctionInfo of one function, or {@code null}. */
  protected static JsonNode functionInfo(RawWorker caller, String functionId) {
    for (JsonNode info : listFunctions(caller, true).path("functions")) {
      if (functionId.equals(info.path("function_id").asString())) {
        return info;
      }
    }
    return null;
  }

  /**
   * Waits until the engine has finished cleaning up after a worker that went away (it is the last
   * step of the cleanup, so its functions, triggers and invocations are gone too).
   */
  protected static void awaitDisconnected(RawWorker observer, RawWorker gone) {
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(
                        observer
                            .callResult(
                                "engine::workers::list",
                                json("{'worker_id':'%s'}").formatted(gone.workerId()))
                            .path("workers"))
                    .isEmpty());
  }

  /**
   * The worker ids listed by {@code engine::workers::list} (connected workers that reported a
   * {@code pid}, and the in-process modules).
   */
  protected static List<String> workerIds(RawWorker caller) {
    List<String> ids = new ArrayList<>();
    for (JsonNode info : caller.callResult("engine::workers::list", "{}").path("workers")) {
      ids.add(info.path("id").asString());
    }
    return ids;
  }
}
