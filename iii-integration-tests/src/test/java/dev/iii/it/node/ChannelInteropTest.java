package dev.iii.it.node;

import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.channel.Channel;
import dev.iii.channel.ChannelReader;
import dev.iii.channel.ChannelWriter;
import dev.iii.it.node.Interop.Fixture;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Channels across languages (official Node SDK 0.9.0): a channel written by Java is read by Node
 * and the reverse, both as channel ends created by each side and as refs passed inside a call's
 * data to the other side's function. Large transfers are compared by SHA-256 over a byte pattern
 * both sides generate.
 */
class ChannelInteropTest {

  private static final int SIZE = 5 * 1024 * 1024 + 17;
  private static final Interop.Fixtures fixtures = new Interop.Fixtures("channels");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  /** The driver's pattern: byte i is {@code (i * 31 + seed) & 0xff}. */
  private static byte[] pattern(int offset, int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (((offset + i) * 31 + seed) & 0xff);
    }
    return bytes;
  }

  /** Writes text messages, then {@code size} pattern bytes in 64 KiB chunks, then closes. */
  private static String writePattern(ChannelWriter writer, List<String> messages, int size)
      throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String message : messages) {
      get(writer.sendMessage(message));
    }
    for (int offset = 0; offset < size; offset += 64 * 1024) {
      byte[] chunk = pattern(offset, Math.min(64 * 1024, size - offset), 7);
      sha.update(chunk);
      get(writer.write(chunk));
    }
    get(writer.close());
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void aChannelWrittenByJavaIsReadByNode() throws Exception {
    Fixture f = fixtures.get("0.9.0");
    Channel channel = get(f.java().createChannel());

    CompletableFuture<JsonNode> read =
        CompletableFuture.supplyAsync(
            () -> f.node().result("readChannel", Map.of("ref", channel.readerRef().toMap())));
    String written = writePattern(channel.writer(), List.of("first", "{\"n\":2}"), SIZE);

    JsonNode result = get(read);
    assertThat(result.path("length").asLong()).isEqualTo(SIZE);
    assertThat(result.path("sha256").asString()).isEqualTo(written);
    assertThat(result.path("messages").toString()).isEqualTo("[\"first\",\"{\\\"n\\\":2}\"]");
  }

  @Test
  void nodePassesAReaderRefToAJavaFunction() throws Exception {
    Fixture f = fixtures.get("0.9.0");
    String function = uniqueId("java::consume");
    f.java()
        .registerFunction(
            function,
            input -> {
              ChannelReader reader = (ChannelReader) ((Map<?, ?>) input).get("input");
              List<String> messages = new CopyOnWriteArrayList<>();
              reader.onMessage(messages::add);
              byte[] bytes = get(reader.readAll());
              return Map.of("length", bytes.length, "sha256", sha256(bytes), "messages", messages);
            });
    awaitNodeSees(f.node(), function);
    JsonNode refs = f.node().result("createChannel", Map.of());

    CompletableFuture<JsonNode> consumed =
        CompletableFuture.supplyAsync(
            () ->
                f.node()
                    .result(
                        "call",
                        Map.of(
                            "function_id",
                            function,
                            "data",
                            Map.of("input", refs.path("reader")),
                            "timeoutMs",
                            30_000)));
    JsonNode written =
        f.node()
            .result(
                "writeChannel",
                Map.of("ref", refs.path("writer"), "messages", List.of("hello"), "size", SIZE));

    JsonNode result = get(consumed);
    assertThat(result.path("length").asLong()).isEqualTo(SIZE);
    assertThat(result.path("sha256").asString()).isEqualTo(written.path("sha256").asString());
    assertThat(result.path("messages").toString()).isEqualTo("[\"hello\"]");
  }

  @Test
  void javaPassesAReaderRefToANodeFunction() throws Exception {
    Fixture f = fixtures.get("0.9.0");
    String function = uniqueId("node::consume");
    f.node().result("register", Map.of("id", function, "behavior", "readInput"));
    awaitJavaSees(f.java(), function);
    Channel channel = get(f.java().createChannel(8));

    CompletableFuture<Object> call =
        f.java().call(function, Map.of("input", channel.reader()), Duration.ofSeconds(30));
    String written = writePattern(channel.writer(), List.of("meta"), SIZE);

    Map<?, ?> result = (Map<?, ?>) get(call);
    assertThat(((Number) result.get("length")).longValue()).isEqualTo(SIZE);
    assertThat(result.get("sha256")).isEqualTo(written);
    assertThat(result.get("messages")).isEqualTo(List.of("meta"));
  }

  @Test
  void nodePassesAWriterRefToAJavaFunction() throws Exception {
    Fixture f = fixtures.get("0.9.0");
    String function = uniqueId("java::produce");
    f.java()
        .registerFunction(
            function,
            input -> {
              ChannelWriter output = (ChannelWriter) ((Map<?, ?>) input).get("output");
              return Map.of("sha256", writePattern(output, List.of("from java"), SIZE));
            });
    awaitNodeSees(f.node(), function);
    JsonNode refs = f.node().result("createChannel", Map.of());

    CompletableFuture<JsonNode> read =
        CompletableFuture.supplyAsync(
            () -> f.node().result("readChannel", Map.of("ref", refs.path("reader"))));
    JsonNode produced =
        f.node()
            .result(
                "call",
                Map.of(
                    "function_id",
                    function,
                    "data",
                    Map.of("output", refs.path("writer")),
                    "timeoutMs",
                    30_000));

    JsonNode result = get(read);
    assertThat(result.path("length").asLong()).isEqualTo(SIZE);
    assertThat(result.path("sha256").asString()).isEqualTo(produced.path("sha256").asString());
    assertThat(result.path("messages").toString()).isEqualTo("[\"from java\"]");
  }
}
