package dev.iii.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP load generator: posts the 100-byte payload to a URL with Reactor Netty's {@code
 * HttpClient} (keep-alive connections, one per request in flight) and checks that the answer is a
 * 200 echoing it. Speaks {@link LoadProtocol} on stdin/stdout; the same process drives the engine's
 * REST port and the plain WebFlux server.
 *
 * <pre>
 * java -cp iii-benchmarks.jar dev.iii.bench.BenchmarkMain http-load --url http://127.0.0.1:PORT/bench/echo
 * </pre>
 */
public final class HttpLoad {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private HttpLoad() {}

  /** A response: its status and its body. */
  private record Response(int status, String body) {}

  static void run(RoleArguments args) throws IOException, InterruptedException {
    String url = args.required("url");
    ConnectionProvider connections =
        ConnectionProvider.builder("bench-http-load")
            .maxConnections(1024)
            .pendingAcquireMaxCount(-1)
            .build();
    HttpClient client =
        HttpClient.create(connections)
            .headers(
                headers ->
                    headers
                        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                        .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON));
    awaitFirstEcho(client, url);
    CallStats stats = new CallStats();
    LoadGenerator load = new AsyncLoad(() -> post(client, url), HttpLoad::isEcho, stats);
    LoadProtocol.serve(load, stats);
    connections.disposeLater().block(Duration.ofSeconds(5));
  }

  private static CompletableFuture<?> post(HttpClient client, String url) {
    return client
        .post()
        .uri(url)
        .send(ByteBufFlux.fromString(Mono.just(Payload.JSON)))
        .responseSingle(
            (response, body) ->
                body.asString()
                    .defaultIfEmpty("")
                    .map(text -> new Response(response.status().code(), text)))
        .toFuture();
  }

  private static boolean isEcho(Object result) {
    return result instanceof Response response
        && response.status() == 200
        && response.body().contains("\"id\":" + Payload.ID);
  }

  /** Posts until the route answers with the echo (the trigger may not be registered yet). */
  private static void awaitFirstEcho(HttpClient client, String url) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = post(client, url).get(5, TimeUnit.SECONDS);
        if (isEcho(last)) {
          return;
        }
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          throw (InterruptedException) e;
        }
        last = e;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        url + " did not echo within " + READY_TIMEOUT.toSeconds() + " s; last: " + last);
  }
}
