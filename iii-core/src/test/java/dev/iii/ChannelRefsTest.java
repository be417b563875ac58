package dev.iii;

import static dev.iii.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.FakeEngine.Conn;
import dev.iii.channel.Channel;
import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import dev.iii.protocol.ChannelRef;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Channel refs on the wire: their shape, creation, detection in input, and writing back. */
class ChannelRefsTest extends ClientTestSupport {

  private static final String REFS =
      "{'writer':{'channel_id':'c1','access_key':'k1','direction':'write'},"
          + "'reader':{'channel_id':'c1','access_key':'k1','direction':'read'}}";

  @Test
  void aRefIsWrittenAndReadWithTheEngineNames() {
    ChannelRef ref = new ChannelRef("c1", "k1", ChannelRef.Direction.READ);

    String written = FakeEngine.JSON.writeValueAsString(ref);

    assertThat(written)
        .isEqualTo("{\"channel_id\":\"c1\",\"access_key\":\"k1\",\"direction\":\"read\"}");
    assertThat(FakeEngine.JSON.readValue(written, ChannelRef.class)).isEqualTo(ref);
  }

  @Test
  void onlyMapsShapedExactlyLikeRefsAreRefs() {
    assertThat(ChannelRef.parse(Map.of("channel_id", "c", "access_key", "k", "direction", "write")))
        .isEqualTo(new ChannelRef("c", "k", ChannelRef.Direction.WRITE));
    assertThat(ChannelRef.parse(Map.of("channel_id", "c", "access_key", "k", "direction", "both")))
        .isNull();
    assertThat(ChannelRef.parse(Map.of("channel_id", 1, "access_key", "k", "direction", "read")))
        .isNull();
    assertThat(ChannelRef.parse(Map.of("channel_id", "c", "direction", "read"))).isNull();
    assertThat(ChannelRef.parse(List.of("c", "k", "read"))).isNull();
  }

  @Test
  void createChannelAsksTheEngineAndWrapsBothRefs() throws Exception {
    engine.answer("engine::channels::create", data -> json(REFS));
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    Channel channel = client.createChannel().get();
    client.createChannel(128).get();

    assertThat(channel.writerRef())
        .isEqualTo(new ChannelRef("c1", "k1", ChannelRef.Direction.WRITE));
    assertThat(channel.readerRef())
        .isEqualTo(new ChannelRef("c1", "k1", ChannelRef.Direction.READ));
    assertThat(channel.writer().ref()).isEqualTo(channel.writerRef());
    List<JsonNode> inputs =
        conn.settle().stream()
            .filter(f -> f.path("function_id").asString("").equals("engine::channels::create"))
            .map(f -> f.get("data"))
            .toList();
    assertThat(inputs).containsExactly(json("{}"), json("{'buffer_size':128}"));
  }

  @Test
  void aMalformedCreateAnswerFailsWithInvalidResult() {
    engine.answer("engine::channels::create", data -> json("{'writer':{'channel_id':'c'}}"));
    III client = connect(client());

    IIIException failure = failure(client.createChannel());

    assertThat(failure.code()).isEqualTo(IIIException.INVALID_RESULT);
  }

  @Test
  void refsAtAnyDepthReachHandlersAsLiveEndsAndGoBackAsRefs() {
    III client = client();
    CompletableFuture<Object> seen = new CompletableFuture<>();
    client.registerFunction(
        "process",
        input -> {
          seen.complete(input);
          return Map.of("echo", input);
        });
    connect(client);
    String data =
        "{'input':{'channel_id':'a','access_key':'ka','direction':'read'},"
            + "'outputs':[{'nested':{'channel_id':'b','access_key':'kb','direction':'write'}},"
            + "{'channel_id':'c','access_key':'kc','direction':'sideways'}],'n':1}";

    JsonNode result = engine.awaitConnection(0).call("process", json(data));

    Map<?, ?> input = (Map<?, ?>) seen.join();
    assertThat(input.get("input")).isInstanceOf(ChannelReader.class);
    assertThat(((ChannelReader) input.get("input")).ref())
        .isEqualTo(new ChannelRef("a", "ka", ChannelRef.Direction.READ));
    List<?> outputs = (List<?>) input.get("outputs");
    Object nested = ((Map<?, ?>) outputs.get(0)).get("nested");
    assertThat(nested).isInstanceOf(ChannelWriter.class);
    assertThat(((ChannelWriter) nested).ref())
        .isEqualTo(new ChannelRef("b", "kb", ChannelRef.Direction.WRITE));
    assertThat(outputs.get(1)).isInstanceOf(Map.class);
    assertThat(input.get("n")).isEqualTo(1);
    assertThat(result.get("result")).isEqualTo(json("{'echo':" + data + "}"));
  }

  record Job(ChannelReader input, ChannelWriter output, String name) {}

  @Test
  void typedHandlersBindReaderAndWriterFields() {
    III client = client();
    CompletableFuture<Job> seen = new CompletableFuture<>();
    client.registerFunction(
        "job",
        Job.class,
        job -> {
          seen.complete(job);
          return null;
        });
    connect(client);

    engine
        .awaitConnection(0)
        .call(
            "job",
            json(
                "{'input':{'channel_id':'a','access_key':'ka','direction':'read'},"
                    + "'output':{'channel_id':'b','access_key':'kb','direction':'write'},"
                    + "'name':'x'}"));

    Job job = seen.join();
    assertThat(job.input().ref()).isEqualTo(new ChannelRef("a", "ka", ChannelRef.Direction.READ));
    assertThat(job.output().ref()).isEqualTo(new ChannelRef("b", "kb", ChannelRef.Direction.WRITE));
    assertThat(job.name()).isEqualTo("x");
  }

  @Test
  void endsAndRefsInCallDataAreSentAsRefs() throws Exception {
    engine.answer("engine::channels::create", data -> json(REFS));
    III client = connect(client());
    Channel channel = client.createChannel().get();

    client.callVoid(
        "consumer",
        Map.of(
            "input", channel.reader(),
            "output", channel.writer(),
            "refs", List.of(channel.readerRef())));

    JsonNode frame =
        engine.awaitConnection(0).awaitFrame("invokefunction", "function_id", "consumer");
    String reader = "{'channel_id':'c1','access_key':'k1','direction':'read'}";
    assertThat(frame.get("data"))
        .isEqualTo(
            json(
                "{'input':"
                    + reader
                    + ",'output':{'channel_id':'c1','access_key':'k1','direction':'write'},"
                    + "'refs':["
                    + reader
                    + "]}"));
  }
}
