package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes protocol messages with the official engine's rules: {@code type} first, absent
 * optional fields omitted, required fields enforced on read, unknown fields ignored.
 *
 * <p>Thread-safe; one shared instance is enough.
 */
public final class MessageCodec {

  private static final MessageCodec INSTANCE = new MessageCodec();

  private final JsonMapper mapper;
  private final ObjectReader reader;
  private final ObjectWriter writer;

  private MessageCodec() {
    this.mapper =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .changeDefaultPropertyInclusion(
                incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();
    this.reader = mapper.readerFor(Message.class);
    this.writer = mapper.writerFor(Message.class);
  }

  /** The shared codec. */
  public static MessageCodec instance() {
    return INSTANCE;
  }

  /** The mapper used for protocol frames (payloads stay {@code JsonNode} trees). */
  public JsonMapper mapper() {
    return mapper;
  }

  /** Serialises a message as one JSON text. */
  public String encode(Message message) {
    return writer.writeValueAsString(message);
  }

  /**
   * Parses one frame.
   *
   * @throws ProtocolException when the frame is not a valid message
   */
  public Message decode(String frame) {
    try {
      return reader.readValue(frame);
    } catch (InvalidTypeIdException e) {
      throw new ProtocolException("unknown message type: " + e.getOriginalMessage(), e, true);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new ProtocolException("invalid message: " + e.getMessage(), e, false);
    }
  }

  /**
   * Parses one binary frame holding UTF-8 JSON (the engine accepts protocol messages in binary
   * frames too).
   */
  public Message decode(byte[] frame) {
    return decode(new String(frame, java.nio.charset.StandardCharsets.UTF_8));
  }
}
