package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads and writes protocol messages with the official engine's rules: {@code type} first, absent
 * optional fields omitted, required fields enforced on read, unknown fields ignored.
 *
 * <p>Thread-safe; one shared instance is enough.
 */
public final class MessageCodec {

  private static final MessageCodec INSTANCE = new MessageCodec();

  /** The frame being decoded on this thread, for {@link RawJson} to slice payloads from. */
  private static final ThreadLocal<byte @Nullable []> FRAME = new ThreadLocal<>();

  private final JsonMapper mapper;
  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final HotMessages hot;

  private MessageCodec() {
    // Buffers per thread: the codec runs on a few long-lived threads (event loops above all),
    // where the default shared pool's deque is contended on every message.
    JsonFactory factory =
        JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build();
    this.mapper =
        JsonMapper.builder(factory)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .changeDefaultPropertyInclusion(
                incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            // serde_json never turns a number or boolean into a String field.
            .withCoercionConfig(
                LogicalType.Textual,
                cfg ->
                    cfg.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
    this.reader = mapper.readerFor(Message.class);
    this.writer = mapper.writerFor(Message.class);
    this.hot = new HotMessages(mapper);
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
    return new String(encodeToBytes(message), StandardCharsets.UTF_8);
  }

  /** Serialises a message as one UTF-8 JSON text, what a WebSocket text frame carries. */
  public byte[] encodeToBytes(Message message) {
    if (message instanceof InvokeFunction invoke) {
      return hot.encode(invoke);
    }
    if (message instanceof InvocationResult result) {
      return hot.encode(result);
    }
    return writer.writeValueAsBytes(message);
  }

  /** Serialises a message with data binding only (for tests that pin the fast writer to it). */
  String encodeWithDataBinding(Message message) {
    return writer.writeValueAsString(message);
  }

  /**
   * Parses one frame.
   *
   * @throws ProtocolException when the frame is not a valid message
   */
  public Message decode(String frame) {
    return decode(frame.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses one frame of UTF-8 JSON (text frames, and binary frames holding a message: the engine
   * accepts both). Payloads of the message share {@code frame}, which must not change afterwards.
   *
   * @throws ProtocolException when the frame is not a valid message
   */
  public Message decode(byte[] frame) {
    if (!isObject(frame)) {
      throw new ProtocolException("invalid message: not a JSON object", null, false);
    }
    Message fast = hot.decode(frame);
    if (fast != null) {
      return fast;
    }
    return decodeWithDataBinding(frame);
  }

  /** Reads a frame with data binding only (the general path; tests pin the fast one to it). */
  Message decodeWithDataBinding(byte[] frame) {
    if (!isObject(frame)) {
      throw new ProtocolException("invalid message: not a JSON object", null, false);
    }
    Message message;
    FRAME.set(frame);
    try {
      message = reader.readValue(frame);
    } catch (InvalidTypeIdException e) {
      boolean unknown = e.getTypeId() != null;
      throw new ProtocolException(
          (unknown ? "unknown message type: " : "invalid message: ") + e.getOriginalMessage(),
          e,
          unknown);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new ProtocolException("invalid message: " + e.getMessage(), e, false);
    } finally {
      FRAME.remove();
    }
    if (message == null) {
      throw new ProtocolException("invalid message: not a JSON object", null, false);
    }
    return message;
  }

  /** The frame {@link #decode(byte[])} is reading on this thread, if any. */
  static byte @Nullable [] currentFrame() {
    return FRAME.get();
  }

  /** Whether the first non-whitespace byte opens an object (Jackson accepts arrays too). */
  private static boolean isObject(byte[] frame) {
    for (byte b : frame) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return false;
  }
}
