package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A worker connected to the engine, as {@code engine::workers::list} reports it. Fields a given
 * engine version does not send are {@code null}, 0 or empty. Written in the official engine's key
 * order, with every key present ({@code null} when unknown) except {@code pid}, which comes last
 * and only once known.
 *
 * @param id the worker id the engine assigned
 * @param name the worker's name (default {@code host:pid})
 * @param runtime {@code java}, {@code node}, {@code python}…
 * @param version the SDK version
 * @param os the operating system
 * @param ipAddress the address the worker connected from
 * @param status {@code connected}
 * @param connectedAtMs connection time, Unix milliseconds
 * @param functionCount how many functions it provides
 * @param functions the ids of those functions
 * @param activeInvocations invocations it is calling or handling now
 * @param pid its process id
 * @param latestMetrics the worker's latest reported gauges ({@code memory_heap_used}, {@code
 *     cpu_percent}, {@code uptime_seconds}…, plus {@code timestamp_ms}), or {@code null} when it
 *     reported none in the last two minutes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({
  "id",
  "name",
  "runtime",
  "version",
  "os",
  "ip_address",
  "status",
  "connected_at_ms",
  "function_count",
  "functions",
  "active_invocations",
  "latest_metrics",
  "pid"
})
public record WorkerInfo(
    @JsonProperty("id") String id,
    @JsonProperty("name") @Nullable String name,
    @JsonProperty("runtime") @Nullable String runtime,
    @JsonProperty("version") @Nullable String version,
    @JsonProperty("os") @Nullable String os,
    @JsonProperty("ip_address") @Nullable String ipAddress,
    @JsonProperty("status") @Nullable String status,
    @JsonProperty("connected_at_ms") long connectedAtMs,
    @JsonProperty("function_count") int functionCount,
    @JsonProperty("functions") List<String> functions,
    @JsonProperty("active_invocations") int activeInvocations,
    @JsonProperty("pid") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long pid,
    @JsonProperty("latest_metrics") @Nullable Map<String, Object> latestMetrics) {

  /** Copies {@code functions} ({@code null} reads as none). */
  public WorkerInfo {
    functions = functions == null ? List.of() : List.copyOf(functions);
  }
}
