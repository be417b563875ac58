package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A worker connected to the engine, as {@code engine::workers::list} and (the {@code worker} member
 * of) {@code engine::workers::info} report it. Read from every engine era: v0.9.0 rows carry {@code
 * functions}, {@code pid} and {@code latest_metrics}; v0.22 list rows drop those (they moved to
 * {@code engine::workers::info}) and add {@code description} and {@code isolation}; v0.23 adds
 * {@code namespace}. Fields an engine does not send are {@code null}, 0 or empty. Written as the
 * superset, so SDKs of either era find what they expect: every key present ({@code null} when
 * unknown) except {@code pid}, {@code internal} and {@code namespace}, written only once known.
 *
 * @param id the worker id the engine assigned
 * @param name the worker's name (default {@code host:pid})
 * @param description what the worker does, as it told the engine (v0.22+)
 * @param runtime {@code java}, {@code node}, {@code python}, {@code engine} (in-process)…
 * @param version the SDK version
 * @param os the operating system
 * @param ipAddress the address the worker connected from
 * @param status {@code connected} (or {@code available} for in-process engine workers)
 * @param connectedAtMs connection time, Unix milliseconds
 * @param functionCount how many functions it provides
 * @param functions the ids of those functions (v0.9 rows; empty from a v0.22 list)
 * @param activeInvocations invocations it is calling or handling now
 * @param isolation the isolation backend it runs in, e.g. {@code vm} (v0.22+)
 * @param pid its process id (v0.9 rows and v0.22 {@code workers::info})
 * @param latestMetrics the worker's latest reported gauges ({@code memory_heap_used}, {@code
 *     cpu_percent}, {@code uptime_seconds}…, plus {@code timestamp_ms}), or {@code null} when it
 *     reported none lately
 * @param internal whether it is an in-process engine module ({@code workers::info} only)
 * @param namespace the namespace it registered into (v0.23+)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({
  "id",
  "name",
  "description",
  "namespace",
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
  "latest_metrics",
  "pid",
  "internal"
})
public record WorkerInfo(
    @JsonProperty("id") String id,
    @JsonProperty("name") @Nullable String name,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("runtime") @Nullable String runtime,
    @JsonProperty("version") @Nullable String version,
    @JsonProperty("os") @Nullable String os,
    @JsonProperty("ip_address") @Nullable String ipAddress,
    @JsonProperty("status") @Nullable String status,
    @JsonProperty("connected_at_ms") long connectedAtMs,
    @JsonProperty("function_count") int functionCount,
    @JsonProperty("functions") List<String> functions,
    @JsonProperty("active_invocations") int activeInvocations,
    @JsonProperty("isolation") @Nullable String isolation,
    @JsonProperty("pid") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long pid,
    @JsonProperty("latest_metrics") @Nullable Map<String, Object> latestMetrics,
    @JsonProperty("internal") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean internal,
    @JsonProperty("namespace") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable String namespace) {

  /** Copies {@code functions} ({@code null} reads as none). */
  public WorkerInfo {
    functions = functions == null ? List.of() : List.copyOf(functions);
  }

  /** A v0.9.0-era row: no description, isolation, internal flag or namespace. */
  public WorkerInfo(
      String id,
      @Nullable String name,
      @Nullable String runtime,
      @Nullable String version,
      @Nullable String os,
      @Nullable String ipAddress,
      @Nullable String status,
      long connectedAtMs,
      int functionCount,
      List<String> functions,
      int activeInvocations,
      @Nullable Long pid,
      @Nullable Map<String, Object> latestMetrics) {
    this(
        id,
        name,
        null,
        runtime,
        version,
        os,
        ipAddress,
        status,
        connectedAtMs,
        functionCount,
        functions,
        activeInvocations,
        null,
        pid,
        latestMetrics,
        null,
        null);
  }
}
