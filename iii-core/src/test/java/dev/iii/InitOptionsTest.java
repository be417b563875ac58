package dev.iii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Unit tests of {@link InitOptions}: defaults, builder and validation. */
class InitOptionsTest {

  @Test
  void defaults() {
    InitOptions options = InitOptions.defaults();

    assertThat(options.workerName()).isEqualTo(hostName() + ":" + ProcessHandle.current().pid());
    assertThat(options.enableMetricsReporting()).isTrue();
    assertThat(options.metricsReportingInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.invocationTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.reconnection()).isEqualTo(ReconnectionConfig.DEFAULT);
    assertThat(options.telemetry()).isEqualTo(TelemetryOptions.NONE);
    assertThat(options.maxQueueSize()).isEqualTo(1000);
    assertThat(options.jsonMapper()).isNotNull();
    assertThat(options.handlerExecutor()).isNull();
    assertThat(options.workerDescription()).isNull();
    assertThat(options.headers()).isEmpty();
    assertThat(options.queryParams()).isEmpty();
    // The official SDKs' liveness defaults (iii-constants.ts: WS_PING_INTERVAL_MS…).
    assertThat(options.pingInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.reconnectGrace()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void handshakeAndLivenessOptions() {
    Map<String, String> headers = new LinkedHashMap<>(Map.of("Authorization", "Bearer t"));
    InitOptions options =
        InitOptions.builder()
            .workerDescription("orders worker")
            .headers(headers)
            .header("X-Tenant", "acme")
            .queryParam("token", "a b")
            .pingInterval(Duration.ofMillis(100))
            .idleTimeout(Duration.ZERO)
            .handshakeTimeout(Duration.ofSeconds(1))
            .build();
    headers.put("Late", "ignored");

    assertThat(options.workerDescription()).isEqualTo("orders worker");
    assertThat(options.headers())
        .containsExactly(Map.entry("Authorization", "Bearer t"), Map.entry("X-Tenant", "acme"));
    assertThat(options.queryParams()).containsExactly(Map.entry("token", "a b"));
    assertThat(options.pingInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(options.idleTimeout()).isZero();
    assertThat(options.handshakeTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(options.toBuilder().build()).isEqualTo(options);
    assertThatThrownBy(() -> options.headers().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsBadHandshakeAndLivenessOptions() {
    assertThatThrownBy(() -> InitOptions.builder().handshakeTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("handshakeTimeout");
    assertThatThrownBy(() -> InitOptions.builder().pingInterval(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pingInterval");
    assertThatThrownBy(() -> InitOptions.builder().idleTimeout(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> InitOptions.builder().reconnectGrace(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reconnectGrace");
    assertThat(InitOptions.builder().reconnectGrace(Duration.ZERO).build().reconnectGrace())
        .isZero();
    assertThatThrownBy(() -> InitOptions.builder().header(" ", "v").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("headers");
  }

  @Test
  void workerNameIsHostColonPid() {
    assertThat(InitOptions.builder().build().workerName())
        .endsWith(":" + ProcessHandle.current().pid())
        .doesNotStartWith(":");
  }

  @Test
  void builderSetsEveryOption() {
    JsonMapper mapper = JsonMapper.builder().build();
    Executor executor = Runnable::run;
    ReconnectionConfig reconnection = ReconnectionConfig.DEFAULT.withMaxRetries(3);
    TelemetryOptions telemetry = new TelemetryOptions("en", "project", "framework");

    InitOptions options =
        InitOptions.builder()
            .workerName("w")
            .enableMetricsReporting(false)
            .metricsReportingInterval(Duration.ofSeconds(7))
            .invocationTimeout(Duration.ofMillis(5))
            .reconnection(reconnection)
            .telemetry(telemetry)
            .maxQueueSize(0)
            .jsonMapper(mapper)
            .handlerExecutor(executor)
            .build();

    assertThat(options)
        .isEqualTo(
            new InitOptions(
                "w",
                false,
                Duration.ofSeconds(7),
                Duration.ofMillis(5),
                reconnection,
                telemetry,
                0,
                mapper,
                executor,
                null,
                null,
                128,
                10_000,
                Duration.ofSeconds(30),
                null,
                Map.of(),
                Map.of(),
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10)));
    assertThat(options.toBuilder().build()).isEqualTo(options);
    assertThat(options.toBuilder().workerName("other").build())
        .isEqualTo(
            new InitOptions(
                "other",
                false,
                Duration.ofSeconds(7),
                Duration.ofMillis(5),
                reconnection,
                telemetry,
                0,
                mapper,
                executor,
                null,
                null,
                128,
                10_000,
                Duration.ofSeconds(30),
                null,
                Map.of(),
                Map.of(),
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10)));
  }

  @Test
  void rejectsNonPositiveTimeout() {
    assertThatThrownBy(() -> InitOptions.builder().invocationTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invocationTimeout");
    assertThatThrownBy(() -> InitOptions.builder().invocationTimeout(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNonPositiveMetricsInterval() {
    assertThatThrownBy(() -> InitOptions.builder().metricsReportingInterval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metricsReportingInterval");
  }

  @Test
  void rejectsNegativeQueueSize() {
    assertThatThrownBy(() -> InitOptions.builder().maxQueueSize(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxQueueSize");
  }

  @Test
  void rejectsMissingOptions() {
    assertThatThrownBy(() -> InitOptions.builder().invocationTimeout(null).build())
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> InitOptions.builder().reconnection(null).build())
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> InitOptions.builder().telemetry(null).build())
        .isInstanceOf(NullPointerException.class);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
