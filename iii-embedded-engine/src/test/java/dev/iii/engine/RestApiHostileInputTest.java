package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.III;
import dev.iii.engine.config.RestApiConfig;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Requests an attacker writes by hand: framing that could smuggle a second request (RFC 9112
 * §6.1/§6.3), JSON that does not parse or nests too deep, escaped path parameters, a missing {@code
 * Host}. Each is refused with a 400 that says why, and never reaches a function.
 */
class RestApiHostileInputTest extends RestApiSupportTest {

  /** The path parameters of every invocation of {@code api::files}, in arrival order. */
  private final Queue<String> invokedNames = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void routes() {
    III iii = worker();
    route(iii, "GET", "files/:name", "api::files", this::recordName);
    route(iii, "POST", "files/:name", "api::files");
    route(iii, "POST", "depth", "api::depth", in -> Map.of("body", depth(body(in))));
  }

  @SuppressWarnings("unchecked")
  private Object recordName(Object input) {
    Map<String, Object> request = (Map<String, Object>) input;
    String name = String.valueOf(((Map<String, Object>) request.get("path_params")).get("name"));
    invokedNames.add(name);
    return Map.of("body", Map.of("name", name));
  }

  @SuppressWarnings("unchecked")
  private static Object body(Object input) {
    return ((Map<String, Object>) input).get("body");
  }

  /** How deep a JSON value nests, as the worker received it (lists only, as sent here). */
  private static int depth(Object value) {
    int depth = 0;
    Object current = value;
    while (current instanceof List<?> list) {
      depth++;
      current = list.isEmpty() ? null : list.get(0);
    }
    return depth;
  }

  private String raw(String request) {
    return RawHttp.exchangeUntilClosed(engine.httpPort(), request);
  }

  private static void assertBadRequest(String reply, String code) {
    assertThat(RawHttp.statuses(reply)).as(reply).containsExactly(400);
    assertThat(parse(RawHttp.body(reply)).at("/error/code").asString()).isEqualTo(code);
  }

  @ParameterizedTest
  @ValueSource(strings = {"xchunked", "chunked, identity", "identity", "gzip, chunked"})
  void aTransferEncodingOtherThanChunkedIs400AndSmugglesNothing(String transferEncoding) {
    String smuggled = "GET /files/SMUGGLED HTTP/1.1\r\nHost: x\r\n\r\n";
    String reply =
        raw(
            "POST /files/outer HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\nTransfer-Encoding: "
                + transferEncoding
                + "\r\n\r\n0\r\n\r\n"
                + smuggled);

    // One response, then the connection is closed: the bytes after the body are never read as
    // a request. (Netty refuses some of these itself, with an empty 400.)
    assertThat(RawHttp.statuses(reply)).as(reply).containsExactly(400);
    HttpResponse<String> after = get("/files/after");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(invokedNames).containsExactly("after");
  }

  @Test
  void transferEncodingTogetherWithContentLengthIs400() {
    String reply =
        raw(
            "POST /files/outer HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET /files/SMUGGLED HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(RawHttp.statuses(reply)).containsExactly(400);
    assertThat(invokedNames).isEmpty();
  }

  @Test
  void invalidJsonIs400NamingTheProblemAndTheFunctionIsNotCalled() {
    HttpResponse<String> invalid = postJson("/files/x", "{not json");
    HttpResponse<String> trailing = postJson("/files/x", "{} {}");

    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(body(invalid).at("/error/code").asString()).isEqualTo("INVALID_JSON");
    assertThat(body(invalid).at("/error/message").asString())
        .startsWith("Request body is not valid JSON")
        .contains("line 1, column 2");
    assertThat(trailing.statusCode()).isEqualTo(400);
    assertThat(invokedNames).isEmpty();
  }

  @Test
  void jsonNestedDeeperThanAWorkerCanDecodeIs400() {
    String tooDeep = "[".repeat(10_000) + "]".repeat(10_000);
    String deepest = "[".repeat(497) + "[0]" + "]".repeat(497);

    HttpResponse<String> refused = postJson("/depth", tooDeep);
    HttpResponse<String> served = postJson("/depth", deepest);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(body(refused).at("/error/code").asString()).isEqualTo("INVALID_JSON");
    assertThat(body(refused).at("/error/message").asString()).contains("nested deeper than 498");
    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    assertThat(served.body()).isEqualTo("498");
  }

  @Test
  void pathParametersArePercentDecodedOnceAsUtf8() {
    JsonNode traversal = parse(RawHttp.body(raw(getClose("/files/..%2F..%2Fetc%2Fpasswd"))));
    JsonNode utf8 = parse(RawHttp.body(raw(getClose("/files/caf%C3%A9%20au%20lait"))));
    JsonNode once = parse(RawHttp.body(raw(getClose("/files/100%2525"))));
    JsonNode plus = parse(RawHttp.body(raw(getClose("/files/a+b"))));

    // A decoded "/" is data inside one parameter, not a path separator.
    assertThat(traversal.at("/name").asString()).isEqualTo("../../etc/passwd");
    assertThat(utf8.at("/name").asString()).isEqualTo("café au lait");
    assertThat(once.at("/name").asString()).isEqualTo("100%25");
    assertThat(plus.at("/name").asString()).isEqualTo("a+b");
  }

  @Test
  void pathParametersWithNulInvalidUtf8OrBadEscapesAre400() {
    for (String path : List.of("/files/a%00b", "/files/%C3%28", "/files/%FF", "/files/%zz")) {
      assertBadRequest(raw(getClose(path)), "INVALID_PATH_PARAMETER");
    }
    assertThat(invokedNames).isEmpty();
  }

  @Test
  void anHttp11RequestWithoutExactlyOneHostIs400() {
    String missing = raw("GET /files/x HTTP/1.1\r\nConnection: close\r\n\r\n");
    String twice = raw("GET /files/x HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n");
    String http10 = raw("GET /files/old HTTP/1.0\r\n\r\n");

    assertBadRequest(missing, "BAD_REQUEST");
    assertThat(RawHttp.body(missing)).contains("Host");
    assertBadRequest(twice, "BAD_REQUEST");
    assertThat(RawHttp.statuses(http10)).containsExactly(200);
    assertThat(invokedNames).containsExactly("old");
  }

  @Test
  void warningsAClientCanProvokeAreRateLimited() {
    EmbeddedEngine guarded =
        engineWith(c -> c.withMiddleware(List.of(new RestApiConfig.MiddlewareConfig("mw::mute"))));
    III iii = worker(guarded);
    iii.registerFunction("mw::mute", in -> null);
    route(iii, "GET", "open", "api::open", in -> Map.of("body", "ok"));

    try (EngineLogCapture log = new EngineLogCapture()) {
      for (int i = 0; i < 5; i++) {
        assertThat(send(request(guarded, "/open").build()).statusCode()).isEqualTo(200);
        assertThat(
                RawHttp.statuses(
                    RawHttp.exchangeUntilClosed(guarded.httpPort(), "GET /open HTTP/1.1\r\n\r\n")))
            .containsExactly(400);
      }

      // Five of each, at most one line each (none if another test wrote one just now).
      assertThat(log.warnings().stream().filter(line -> line.contains("returned no result")))
          .hasSizeLessThanOrEqualTo(1);
      assertThat(log.warnings().stream().filter(line -> line.contains("refused with 400")))
          .hasSizeLessThanOrEqualTo(1);
    }
  }

  private static String getClose(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  }
}
