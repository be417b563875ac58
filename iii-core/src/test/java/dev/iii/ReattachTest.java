package dev.iii;

import static dev.iii.FakeEngine.json;
import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.FakeEngine.Conn;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code reattach} (engine 0.22+): after a reconnect the client first presents the previous
 * connection's worker id and token, so the engine retires it before the registrations come again.
 */
class ReattachTest extends ClientTestSupport {

  @Test
  void theFirstConnectionSendsNoReattach() {
    III client = client();
    client.registerFunction("fn", input -> null);

    connect(client);

    assertThat(summaries(engine.awaitConnection(0).settle()))
        .containsExactly(
            "invokefunction engine::workers::register (no reply)", "registerfunction fn");
  }

  @Test
  void everyReconnectPresentsTheLastConnectionsIdAndTokenFirst() {
    III client = client();
    client.registerFunction("fn", input -> null);
    client.registerTrigger("cron", "fn", Map.of("expression", "* * * * * *"));
    connect(client);
    Conn first = engine.awaitConnection(0);

    first.drop();
    Conn second = engine.awaitConnection(1);
    waiting().until(() -> client.workerId().equals(Optional.of(second.workerId)));
    List<JsonNode> frames = second.settle();

    assertThat(summaries(frames))
        .containsExactly(
            "reattach",
            "invokefunction engine::workers::register (no reply)",
            "registerfunction fn",
            "registertrigger cron -> fn");
    assertThat(frames.get(0)).isEqualTo(reattach(first.workerId, first.reattachToken));

    // The next reconnect names the second connection, not the first.
    second.drop();
    Conn third = engine.awaitConnection(2);
    assertThat(third.settle().get(0)).isEqualTo(reattach(second.workerId, second.reattachToken));
  }

  @Test
  void aConnectionDroppedBeforeItsWorkerWasRegisteredKeepsTheEarlierIdentity() {
    III client = connect(client());
    Conn first = engine.awaitConnection(0);
    engine.sendWorkerRegistered(false);

    first.drop();
    Conn second = engine.awaitConnection(1);
    second.settle();
    second.drop();
    Conn third = engine.awaitConnection(2);

    // The second connection was never registered: the first is still the one to retire.
    assertThat(third.settle().get(0)).isEqualTo(reattach(first.workerId, first.reattachToken));
  }

  @Test
  void anEngineWithoutTokensIsAskedWithTheIdAlone() {
    engine.sendReattachToken(false); // a v0.9-era engine: it ignores the reattach
    III client = connect(client());
    Conn first = engine.awaitConnection(0);

    first.drop();

    assertThat(engine.awaitConnection(1).settle().get(0))
        .isEqualTo(json("{'type':'reattach','previous_worker_id':'" + first.workerId + "'}"));
  }

  private static JsonNode reattach(String workerId, String token) {
    return json(
        "{'type':'reattach','previous_worker_id':'"
            + workerId
            + "','reattach_token':'"
            + token
            + "'}");
  }
}
