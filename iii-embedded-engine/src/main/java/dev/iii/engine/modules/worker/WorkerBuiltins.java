package dev.iii.engine.modules.worker;

import static dev.iii.protocol.EngineFunctions.CHANNELS_CREATE;
import static dev.iii.protocol.EngineFunctions.WORKERS_INFO;
import static dev.iii.protocol.EngineFunctions.WORKERS_LIST;
import static dev.iii.protocol.EngineFunctions.WORKERS_REGISTER;

import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.channels.Channel;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.Worker;
import dev.iii.protocol.ChannelRef;
import dev.iii.protocol.WireFields;
import dev.iii.protocol.WorkerDetail;
import dev.iii.protocol.WorkerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worker built-ins ({@code engine::workers::list}, {@code ::info}, {@code ::register}) and
 * {@code engine::channels::create}. Stateless: worker metadata lives on the {@link Worker}.
 */
final class WorkerBuiltins {

  /** Self-reported names and descriptions are cut to this many characters, as officially. */
  static final int WORKER_TEXT_MAX = 280;

  private final ModuleContext context;
  private final Listings listings;

  WorkerBuiltins(ModuleContext context, Listings listings) {
    this.context = context;
    this.listings = listings;
  }

  void register() {
    context.registerFunction(WORKERS_LIST, "List workers connected to the engine.", this::list);
    context.registerFunction(
        WORKERS_INFO,
        "Inspect one connected worker's full surface (functions, trigger types, registered"
            + " triggers).",
        this::info);
    context.registerFunction(WORKERS_REGISTER, "Register worker metadata", this::registerWorker);
    context.registerFunction(
        CHANNELS_CREATE, "Create a streaming channel pair", this::createChannel);
  }

  /**
   * Connected workers that reported a {@code pid} and the in-process modules, as superset rows,
   * filtered by {@code runtime}, {@code status}, {@code search} (in the name) and the v0.9 {@code
   * worker_id} (which also shows a worker without {@code pid}).
   */
  private CompletableFuture<@Nullable JsonNode> list(JsonNode data) {
    Input input = Input.of(WORKERS_LIST, data);
    String workerId = input.string("worker_id");
    String runtime = input.string("runtime");
    String status = input.string("status");
    String search = input.string("search");
    List<WorkerInfo> rows = new ArrayList<>();
    for (WorkerInfo row : listings.workerRows(workerId)) {
      if ((runtime == null || runtime.equals(row.runtime()))
          && (status == null || status.equals(row.status()))
          && (search == null || search.isEmpty() || Input.matches(search, row.name()))) {
        rows.add(row);
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("workers", Listings.tree(rows));
    out.put("timestamp", System.currentTimeMillis()); // v0.9 only; v0.22 readers ignore it
    return CompletableFuture.completedFuture(out);
  }

  private CompletableFuture<@Nullable JsonNode> info(JsonNode data) {
    String name = Input.of(WORKERS_INFO, data).requiredString("name");
    WorkerDetail detail = listings.workerDetail(name);
    if (detail == null) {
      throw new InvocationError("NOT_FOUND", "Worker '" + name + "' is not connected.");
    }
    return CompletableFuture.completedFuture(Listings.tree(detail));
  }

  /**
   * Stores what the calling worker says about itself: {@code runtime} ({@code unknown} when
   * absent), {@code version}, and, when given, {@code name}, {@code description}, {@code os},
   * {@code pid} and {@code isolation}. Names and descriptions lose control and bidirectional
   * characters and are cut to 280 characters.
   */
  private CompletableFuture<@Nullable JsonNode> registerWorker(JsonNode data) {
    Input input = Input.of(WORKERS_REGISTER, data);
    String callerId = input.requiredString(WireFields.CALLER_WORKER_ID);
    String runtime = input.string("runtime");
    String version = input.string("version");
    String name = sanitize(input.string("name"));
    String description = sanitize(input.string("description"));
    String os = input.string("os");
    Long pid = input.unsigned("pid", 0xFFFF_FFFFL);
    String isolation = input.string("isolation");
    JsonNode telemetry = input.any("telemetry");
    Worker worker = context.workers().get(callerId).orElse(null);
    if (worker != null) {
      Worker.Metadata old = worker.metadata();
      worker.metadata(
          new Worker.Metadata(
              name != null ? name : old.name(),
              description != null ? description : old.description(),
              runtime != null ? runtime : "unknown",
              version,
              os != null ? os : old.os(),
              pid != null ? pid : old.pid(),
              isolation != null ? isolation : old.isolation(),
              telemetry));
      context.messages().workerMetadataUpdated(worker);
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("success", true);
    return CompletableFuture.completedFuture(out);
  }

  /**
   * Self-reported text as the official engine keeps it: without control, bidirectional-override and
   * line/paragraph-separator characters, at most 280 characters, trimmed; blank is none.
   */
  static @Nullable String sanitize(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    StringBuilder cleaned = new StringBuilder();
    int kept = 0;
    for (int i = 0; i < raw.length() && kept < WORKER_TEXT_MAX; ) {
      int c = raw.codePointAt(i);
      i += Character.charCount(c);
      if (!isUnsafe(c)) {
        cleaned.appendCodePoint(c);
        kept++;
      }
    }
    String trimmed = cleaned.toString().strip();
    return trimmed.isEmpty() ? null : trimmed;
  }

  private static boolean isUnsafe(int c) {
    return Character.isISOControl(c)
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x2028
        || c == 0x2029;
  }

  private CompletableFuture<@Nullable JsonNode> createChannel(JsonNode data) {
    Long size = Input.of(CHANNELS_CREATE, data).unsigned("buffer_size", Long.MAX_VALUE);
    int bufferSize =
        size == null
            ? ChannelRegistry.DEFAULT_BUFFER_SIZE
            : (int) Math.min(size, Integer.MAX_VALUE); // the registry clamps it
    Channel channel = context.channels().create(bufferSize);
    ChannelRef writer = channel.ref(ChannelRef.Direction.WRITE);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("writer", Listings.tree(writer));
    out.set("reader", Listings.tree(channel.ref(ChannelRef.Direction.READ)));
    return CompletableFuture.completedFuture(out);
  }
}
