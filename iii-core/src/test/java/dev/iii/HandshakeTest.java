package dev.iii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.FakeEngine.Conn;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the client presents to an engine with access control: handshake headers and query parameters
 * (read by the engine's auth function), and its description in the worker metadata.
 */
class HandshakeTest extends ClientTestSupport {

  @Test
  void sendsTheConfiguredHeadersWithEveryHandshake() {
    III client =
        client(
            options -> options.header("Authorization", "Bearer s3cret").header("X-Tenant", "acme"));
    connect(client);
    Conn first = engine.awaitConnection(0);

    assertThat(first.handshake.headers().get("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(first.handshake.headers().get("X-Tenant")).isEqualTo("acme");

    first.drop();
    Conn second = engine.awaitConnection(1);
    assertThat(second.handshake.headers().get("Authorization")).isEqualTo("Bearer s3cret");
  }

  @Test
  void addsTheConfiguredQueryParametersToTheAddress() {
    III client = client(options -> options.queryParam("token", "a b&c").queryParam("k", "v"));

    connect(client);

    assertThat(engine.awaitConnection(0).handshake.uri()).isEqualTo("/?token=a%20b%26c&k=v");
  }

  @Test
  void sendsNoExtraHeadersByDefault() {
    connect(client());

    assertThat(engine.awaitConnection(0).handshake.headers().contains("Authorization")).isFalse();
    assertThat(engine.awaitConnection(0).handshake.uri()).isEqualTo("/");
  }

  @Test
  void sendsTheWorkerDescriptionWithTheMetadata() {
    connect(client(options -> options.workerDescription("Charges orders")));

    List<JsonNode> frames = engine.awaitConnection(0).settle();

    JsonNode metadata = frames.get(0);
    assertThat(metadata.path("function_id").asString()).isEqualTo("engine::workers::register");
    assertThat(metadata.path("data").path("description").asString()).isEqualTo("Charges orders");
    assertThat(metadata.path("data").path("name").asString()).isEqualTo(WORKER_NAME);
  }

  @Test
  void sendsNoDescriptionWhenNoneIsSet() {
    connect(client());

    List<JsonNode> frames = engine.awaitConnection(0).settle();

    assertThat(frames.get(0).path("data").has("description")).isFalse();
  }
}
