package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.III;
import dev.iii.engine.config.EngineLimits;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The REST API's request-body limit ({@code limits.max_request_body_bytes}): a declared length over
 * it is refused before any byte of the body is read, a chunked body is read up to it; either way
 * 413 and the connection closed, and the engine keeps serving.
 */
class RestApiBodyLimitTest extends RestApiSupportTest {

  private static final int LIMIT = 1024;

  private EmbeddedEngine limited;
  private final AtomicInteger invoked = new AtomicInteger();

  @BeforeEach
  void startLimitedEngine() {
    limited =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .limits(EngineLimits.defaults().withMaxRequestBodyBytes(LIMIT))
            .build()
            .start();
    III iii = worker(limited);
    route(
        iii,
        "POST",
        "json",
        "api::json",
        in -> {
          invoked.incrementAndGet();
          return Map.of("body", in);
        });
    route(
        iii,
        "POST",
        "stream",
        "api::stream",
        in -> {
          invoked.incrementAndGet();
          // Answers through the response channel only, so the request body decides.
          return new CompletableFuture<>();
        });
  }

  @AfterEach
  void stopLimitedEngine() {
    limited.close();
  }

  private static String head(String path, String contentType, String framing) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: "
        + contentType
        + "\r\n"
        + framing
        + "\r\n";
  }

  private static void assertRefusedAsTooLarge(String reply) {
    assertThat(RawHttp.statuses(reply)).containsExactly(413);
    assertThat(reply.toLowerCase()).contains("connection: close");
    assertThat(parse(RawHttp.body(reply)))
        .isEqualTo(
            parse(
                json(
                    "{'error':{'code':'PAYLOAD_TOO_LARGE',"
                        + "'message':'Request body is larger than 1024 bytes'}}")));
  }

  @Test
  void aDeclaredLengthOverTheLimitIs413AtOnceWithoutSendingTheBody() {
    // Only the headers are sent: the answer cannot depend on reading the body.
    String json =
        RawHttp.exchangeUntilClosed(
            limited.httpPort(),
            head("/json", "application/json", "Content-Length: " + (LIMIT + 1) + "\r\n"));
    String stream =
        RawHttp.exchangeUntilClosed(
            limited.httpPort(), head("/stream", "text/plain", "Content-Length: 999999999999\r\n"));

    assertRefusedAsTooLarge(json);
    assertRefusedAsTooLarge(stream);
    assertThat(invoked).hasValue(0);
  }

  @Test
  void aChunkedJsonBodyIsReadUpToTheLimitThen413() {
    String over = "[\"" + "a".repeat(LIMIT) + "\"]";

    String reply =
        RawHttp.exchangeUntilClosed(
            limited.httpPort(),
            head("/json", "application/json", "Transfer-Encoding: chunked\r\n")
                + RawHttp.chunked(true, over.substring(0, 600), over.substring(600)));

    assertRefusedAsTooLarge(reply);
    assertThat(invoked).hasValue(0);
  }

  @Test
  void aChunkedStreamedBodyOverTheLimitIs413() {
    String reply =
        RawHttp.exchangeUntilClosed(
            limited.httpPort(),
            head("/stream", "application/octet-stream", "Transfer-Encoding: chunked\r\n")
                + RawHttp.chunked(true, "b".repeat(600), "b".repeat(600)));

    assertRefusedAsTooLarge(reply);
  }

  @Test
  void bodiesOfExactlyTheLimitAreServedAndTheEngineKeepsServingAfterRefusals() {
    String fits = "{\"pad\":\"" + "p".repeat(LIMIT - 10) + "\"}";
    assertThat(fits).hasSize(LIMIT);
    assertRefusedAsTooLarge(
        RawHttp.exchangeUntilClosed(
            limited.httpPort(),
            head("/json", "application/json", "Content-Length: " + (LIMIT + 1) + "\r\n")));

    HttpResponse<String> declared =
        send(
            request(limited, "/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(fits))
                .build());
    String chunked =
        RawHttp.exchangeUntilClosed(
            limited.httpPort(),
            head("/json", "application/json", "Transfer-Encoding: chunked\r\nConnection: close\r\n")
                + RawHttp.chunked(true, fits.substring(0, 500), fits.substring(500)));

    assertThat(declared.statusCode()).isEqualTo(200);
    JsonNode echoed = body(declared);
    assertThat(echoed.at("/body/pad").asString()).hasSize(LIMIT - 10);
    assertThat(RawHttp.statuses(chunked)).containsExactly(200);
    assertThat(parse(RawHttp.body(chunked)).at("/body/pad").asString()).hasSize(LIMIT - 10);
    assertThat(invoked).hasValue(2);
  }
}
