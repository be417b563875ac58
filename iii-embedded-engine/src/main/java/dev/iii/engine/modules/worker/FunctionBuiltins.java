package dev.iii.engine.modules.worker;

import static dev.iii.protocol.EngineFunctions.FUNCTIONS_INFO;
import static dev.iii.protocol.EngineFunctions.FUNCTIONS_LIST;

import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.registry.InvocationError;
import dev.iii.protocol.EngineFunctions;
import dev.iii.protocol.FunctionDetail;
import dev.iii.protocol.FunctionInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code engine::functions::list} and {@code engine::functions::info}, with the official v0.22
 * filters and errors. Stateless.
 */
final class FunctionBuiltins {

  /** The most ids one {@code engine::functions::info} batch may ask for. */
  static final int INFO_BATCH_MAX = 32;

  private final Listings listings;

  FunctionBuiltins(Listings listings) {
    this.listings = listings;
  }

  void register(ModuleContext context) {
    context.registerFunction(
        FUNCTIONS_LIST, "List registered functions with their owning worker name.", this::list);
    context.registerFunction(
        FUNCTIONS_INFO,
        "Inspect functions: schemas, owner, and registered triggers. Single `function_id`, or"
            + " `function_ids: [...]` (max 32) to fetch several contracts in one call.",
        this::info);
  }

  /**
   * Hides engine built-ins (except {@code engine::queue::*}) and functions tagged {@code
   * metadata.internal: true} unless {@code include_internal}; then {@code prefix}, {@code worker} /
   * {@code workers} and {@code search} narrow the list, which is sorted by id (by match quality
   * first when searching).
   */
  private CompletableFuture<@Nullable JsonNode> list(JsonNode data) {
    Input input = Input.of(FUNCTIONS_LIST, data);
    boolean includeInternal = input.flag("include_internal");
    String prefix = input.string("prefix");
    String worker = input.string("worker");
    List<String> workers = input.strings("workers");
    String search = input.string("search");
    boolean byWorker = worker != null || (workers != null && !workers.isEmpty());
    List<FunctionInfo> rows = new ArrayList<>();
    for (FunctionInfo row : listings.functionRows()) {
      String id = row.functionId();
      if (!includeInternal && (isEngineInternal(id) || taggedInternal(row.metadata()))) {
        continue;
      }
      if (prefix != null && !id.startsWith(prefix)) {
        continue;
      }
      if (byWorker
          && !(row.workerName() != null
              && (row.workerName().equals(worker)
                  || (workers != null && workers.contains(row.workerName()))))) {
        continue;
      }
      if (search != null && !search.isEmpty() && !Input.matches(search, id, row.description())) {
        continue;
      }
      rows.add(row);
    }
    if (search != null && !search.isEmpty()) {
      String needle = search.toLowerCase(Locale.ROOT);
      rows.sort(
          Comparator.comparingInt((FunctionInfo row) -> searchRank(row.functionId(), needle))
              .thenComparing(FunctionInfo::functionId));
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("functions", Listings.tree(rows));
    return CompletableFuture.completedFuture(out);
  }

  private static boolean isEngineInternal(String id) {
    return id.startsWith(EngineFunctions.PREFIX) && !id.startsWith("engine::queue::");
  }

  private static boolean taggedInternal(@Nullable Object metadata) {
    return metadata instanceof JsonNode node
        && node.path("internal").isBoolean()
        && node.path("internal").booleanValue();
  }

  /** 0: the needle anchors the id; 1: it is inside the id; 2: it matched the description only. */
  private static int searchRank(String functionId, String needle) {
    String id = functionId.toLowerCase(Locale.ROOT);
    if (id.startsWith(needle) || List.of(id.split("::", -1)).contains(needle)) {
      return 0;
    }
    return id.contains(needle) ? 1 : 2;
  }

  /**
   * One function ({@code function_id}: its detail, or {@code NOT_FOUND}) or several ({@code
   * function_ids}, at most 32, deduplicated: {@code {functions: [...]}} with a {@code not_found}
   * marker per unknown id).
   */
  private CompletableFuture<@Nullable JsonNode> info(JsonNode data) {
    Input input = Input.of(FUNCTIONS_INFO, data);
    String single = input.string("function_id");
    List<String> batch = input.strings("function_ids");
    if (single != null && batch != null) {
      throw invalidArguments("pass either `function_id` or `function_ids`, not both");
    }
    if (single != null) {
      FunctionDetail detail = listings.functionDetail(single);
      if (detail == null) {
        throw new InvocationError("NOT_FOUND", "Function '" + single + "' is not registered.");
      }
      return CompletableFuture.completedFuture(Listings.tree(detail));
    }
    if (batch == null) {
      throw invalidArguments("missing field `function_id` (or `function_ids` for a batch)");
    }
    Set<String> ids = new LinkedHashSet<>(batch);
    if (ids.isEmpty()) {
      throw invalidArguments("`function_ids` must be a non-empty array of function ids");
    }
    if (ids.size() > INFO_BATCH_MAX) {
      throw invalidArguments("too many function_ids (max " + INFO_BATCH_MAX + ")");
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode functions = out.putArray("functions");
    for (String id : ids) {
      FunctionDetail detail = listings.functionDetail(id);
      if (detail != null) {
        functions.add(Listings.tree(detail));
      } else {
        functions.addObject().put("function_id", id).put("error", "not_found");
      }
    }
    return CompletableFuture.completedFuture(out);
  }

  private static InvocationError invalidArguments(String message) {
    return new InvocationError("INVALID_ARGUMENTS", message);
  }
}
