package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.config.RestApiConfig.CorsConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CORS headers, the response timeout and the concurrency limit of the HTTP port. */
class RestApiCorsAndLimitsTest extends RestApiSupportTest {

  private static final String VARY =
      "origin,access-control-request-method,access-control-request-headers";

  private static HttpRequest preflight(HttpRequest.Builder builder) {
    return builder
        .header("Origin", "https://app.example")
        .header("Access-Control-Request-Method", "PUT")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .build();
  }

  @Test
  void withoutCorsConfigEverythingIsAllowedAndPreflightsAreAnsweredForAnyPath() {
    III iii = worker();
    route(iii, "GET", "open", "api::open", in -> Map.of("body", "ok"));

    HttpResponse<String> real = send(request("/open").header("Origin", "https://x.test").build());
    HttpResponse<String> missing = get("/missing");
    HttpResponse<String> pre = send(preflight(request("/no/such/route")));

    assertThat(real.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(real.headers().firstValue("access-control-expose-headers")).hasValue("*");
    assertThat(real.headers().firstValue("vary")).hasValue(VARY);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(pre.statusCode()).isEqualTo(200);
    assertThat(pre.body()).isEmpty();
    assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(pre.headers().firstValue("access-control-allow-methods")).hasValue("*");
    assertThat(pre.headers().firstValue("access-control-allow-headers")).hasValue("*");
  }

  @Test
  void configuredCorsEchoesListedOriginsOnlyAndListsTheMethods() {
    EmbeddedEngine strict =
        engineWith(
            c -> c.withCors(new CorsConfig(List.of("https://app.example"), List.of("get", "PUT"))));
    III iii = worker(strict);
    route(iii, "GET", "data", "api::data", in -> Map.of("body", "ok"));

    HttpResponse<String> allowed =
        send(request(strict, "/data").header("Origin", "https://app.example").build());
    HttpResponse<String> other =
        send(request(strict, "/data").header("Origin", "https://evil.example").build());
    HttpResponse<String> pre = send(preflight(request(strict, "/data")));

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://app.example");
    assertThat(allowed.headers().map()).doesNotContainKey("access-control-expose-headers");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().map()).doesNotContainKey("access-control-allow-origin");
    assertThat(pre.statusCode()).isEqualTo(200);
    assertThat(pre.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://app.example");
    assertThat(pre.headers().firstValue("access-control-allow-methods")).hasValue("GET,PUT");
  }

  @Test
  void noResultAndNoResponseChannelActivityGives504WithoutCorsHeaders() {
    EmbeddedEngine quick = engineWith(c -> c.withDefaultTimeout(Duration.ofMillis(300)));
    III iii = worker(quick);
    route(iii, "GET", "silent", "api::silent", in -> null);

    long start = System.nanoTime();
    HttpResponse<String> response = send(request(quick, "/silent").build());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().map()).doesNotContainKey("access-control-allow-origin");
    assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
  }

  @Test
  void requestsOverTheConcurrencyLimitWaitForASlot() {
    EmbeddedEngine single =
        engineWith(c -> new RestApiConfig(c.host(), c.port(), c.defaultTimeout(), c.cors(), 1));
    III iii = worker(single);
    AtomicInteger invoked = new AtomicInteger();
    CompletableFuture<Object> release = new CompletableFuture<>();
    route(
        iii,
        "GET",
        "slow",
        "api::slow",
        in -> invoked.incrementAndGet() == 1 ? release : Map.of("body", "second"));

    CompletableFuture<HttpResponse<String>> first = sendAsync(request(single, "/slow").build());
    await().atMost(RawWorker.TIMEOUT).until(() -> invoked.get() == 1);
    CompletableFuture<HttpResponse<String>> second = sendAsync(request(single, "/slow").build());

    // The second request must not reach the function while the first holds the only slot.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> invoked.get() == 1 && !second.isDone());
    release.complete(Map.of("body", "first"));

    assertThat(first.join().body()).isEqualTo("\"first\"");
    assertThat(second.join().body()).isEqualTo("\"second\"");
    assertThat(invoked.get()).isEqualTo(2);
  }
}
