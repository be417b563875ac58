package dev.iii.internal;

import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.RawJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The engine's {@code publish} function ({@code iii-pubsub}), as the client calls it. Stateless.
 */
public final class Publish {

  /** The function id: no namespace, as the official engine registers it. */
  public static final String FUNCTION_ID = "publish";

  private Publish() {}

  /**
   * The input {@code {"topic": topic, "data": data}}. {@code data} is always present (the engine
   * requires the member, {@code null} included), whatever the application's mapper leaves out.
   */
  public static RawJson payload(String topic, RawJson data) {
    byte[] quotedTopic = MessageCodec.instance().mapper().writeValueAsBytes(topic);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(quotedTopic.length + data.byteLength() + 20);
    out.writeBytes("{\"topic\":".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(quotedTopic);
    out.writeBytes(",\"data\":".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(data.toByteArray());
    out.write('}');
    return RawJson.ofTrusted(out.toByteArray());
  }
}
