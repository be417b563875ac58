package dev.iii;

import static dev.iii.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iii.FakeEngine.Conn;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Functions the engine invokes over HTTP: registration shape, replay, unregistration. */
class HttpInvocationConfigTest extends ClientTestSupport {

  @Test
  void registrationCarriesTheInvocationWithTheEngineNames() {
    III client = client();
    client.registerFunction(
        "ext::fn",
        HttpInvocationConfig.builder()
            .url("http://127.0.0.1:4000/webhook")
            .method("put")
            .timeoutMs(3000)
            .headers(Map.of("X-Custom-Header", "test-value"))
            .auth(HttpAuth.bearer("MY_TOKEN_ENV"))
            .build(),
        "External");
    connect(client);

    JsonNode frame = engine.awaitConnection(0).awaitFrame("registerfunction", "id", "ext::fn");

    assertThat(frame)
        .isEqualTo(
            json(
                "{'type':'registerfunction','id':'ext::fn','description':'External',"
                    + "'invocation':{'url':'http://127.0.0.1:4000/webhook','method':'PUT',"
                    + "'timeout_ms':3000,'headers':{'X-Custom-Header':'test-value'},"
                    + "'auth':{'type':'bearer','token_key':'MY_TOKEN_ENV'}}}"));
  }

  @Test
  void defaultsArePostWithoutTimeoutOrAuth() {
    HttpInvocationConfig config = HttpInvocationConfig.builder().url("https://x.test/").build();

    assertThat(config.toJson())
        .isEqualTo(json("{'url':'https://x.test/','method':'POST','headers':{}}"));
  }

  @Test
  void everyAuthKindHasItsWireShape() {
    assertThat(auth(HttpAuth.hmac("SECRET")))
        .isEqualTo(json("{'type':'hmac','secret_key':'SECRET'}"));
    assertThat(auth(HttpAuth.bearer("TOKEN")))
        .isEqualTo(json("{'type':'bearer','token_key':'TOKEN'}"));
    assertThat(auth(HttpAuth.apiKey("x-api-key", "KEY")))
        .isEqualTo(json("{'type':'api_key','header':'x-api-key','value_key':'KEY'}"));
  }

  @Test
  void invalidConfigsAreRejectedAtOnce() {
    assertThat(catchThrowable(() -> HttpInvocationConfig.builder().build()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowable(() -> HttpInvocationConfig.builder().url("u").method("HEAD").build()))
        .hasMessageContaining("HEAD");
    assertThat(catchThrowable(() -> HttpInvocationConfig.builder().url("u").timeoutMs(0).build()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowable(() -> HttpAuth.bearer(" ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void registrationIsReplayedOnReconnectUntilUnregistered() {
    III client = client();
    FunctionRef ref =
        client.registerFunction(
            "ext::fn", HttpInvocationConfig.builder().url("https://x.test/").build());
    connect(client);
    engine.awaitConnection(0).awaitFrame("registerfunction", "id", "ext::fn");

    engine.awaitConnection(0).drop();
    Conn second = engine.awaitConnection(1);
    JsonNode replayed = second.awaitFrame("registerfunction", "id", "ext::fn");
    assertThat(replayed.get("invocation").get("url").asString()).isEqualTo("https://x.test/");

    ref.unregister();
    second.awaitFrame("unregisterfunction", "id", "ext::fn");
    engine.awaitConnection(1).drop();
    Conn third = engine.awaitConnection(2);
    assertThat(summaries(third.settle())).doesNotContain("registerfunction ext::fn");
  }

  @Test
  void aLocalInvocationIsRefusedAsNotInvokable() {
    III client = client();
    client.registerFunction(
        "ext::fn", HttpInvocationConfig.builder().url("https://x.test/").build());
    connect(client);

    JsonNode result = engine.awaitConnection(0).call("ext::fn", json("{}"));

    assertThat(result.get("error").get("code").asString())
        .isEqualTo(IIIException.FUNCTION_NOT_INVOKABLE);
  }

  private static JsonNode auth(HttpAuth auth) {
    return HttpInvocationConfig.builder()
        .url("https://x.test/")
        .auth(auth)
        .build()
        .toJson()
        .get("auth");
  }
}
