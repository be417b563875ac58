package dev.iii.it.node;

import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.it.node.Interop.Fixture;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Proves that a message of about 2 MiB of JSON, larger than common WebSocket frame and message
 * limits (1 MiB), passes intact between the official Node SDK (0.9.0 and 0.3.0) and the Java client
 * through the embedded engine, there and back in both directions: Node calls a Java echo function,
 * and Java calls a Node echo function. So the size limits of the engine's server side and of the
 * Java client are raised far enough.
 *
 * <p>One engine, Java client and Node worker per SDK version are shared by the tests of this class.
 */
class LargePayloadInteropTest {

  /** A little over 2 MiB of UTF-8, with multi-byte characters. */
  private static final String BLOB = blob(2 * 1024 * 1024 + 4096);

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("large-payload");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void nodeToJavaAndBack(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("java::echo-large");
    f.java().registerFunction(id, input -> input);
    awaitNodeSees(f.node(), id);

    JsonNode result =
        f.node().result("call", Map.of("function_id", id, "data", Map.of("blob", BLOB)));

    assertIntact(result.path("blob").asString());
    assertThat(result.path("_caller_worker_id").asString()).isEqualTo(f.nodeWorkerId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void javaToNodeAndBack(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("node::echo-large");
    f.node().result("register", Map.of("id", id, "behavior", "echo"));
    awaitJavaSees(f.java(), id);

    Object result = get(f.java().call(id, Map.of("blob", BLOB)));

    assertThat(result).isInstanceOf(Map.class);
    assertIntact((String) ((Map<?, ?>) result).get("blob"));
  }

  /** Compares by length and digest, so a failure does not print megabytes. */
  private static void assertIntact(String received) {
    assertThat(received).as("blob").isNotNull();
    assertThat(received.length()).as("blob length").isEqualTo(BLOB.length());
    assertThat(sha256(received)).as("blob SHA-256").isEqualTo(sha256(BLOB));
  }

  private static String blob(int utf8Bytes) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 é✓日\"\\";
    Random random = new Random(42);
    StringBuilder out = new StringBuilder(utf8Bytes);
    int bytes = 0;
    while (bytes < utf8Bytes) {
      char c = alphabet.charAt(random.nextInt(alphabet.length()));
      out.append(c);
      bytes += String.valueOf(c).getBytes(StandardCharsets.UTF_8).length;
    }
    return out.toString();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
