package dev.iii.internal;

import dev.iii.IIIException;
import dev.iii.channel.Channel;
import dev.iii.channel.ChannelConnector;
import dev.iii.protocol.ChannelRef;
import dev.iii.protocol.EngineFunctions;
import dev.iii.protocol.Limits;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.RawJson;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every conversion between Java values and JSON payloads, in one place, with the application's
 * {@code JsonMapper}. A payload is read once, straight into the type asked for; channel refs in it
 * become live channel ends. Thread-safe.
 */
public final class Payloads {

  private final JsonMapper mapper;

  /** The application's mapper plus the channel-end deserialisers, for reading inputs. */
  private final JsonMapper inputMapper;

  private final ChannelConnector channels;

  public Payloads(JsonMapper mapper, ChannelConnector channels) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.channels = Objects.requireNonNull(channels, "channels");
    this.inputMapper = mapper.rebuild().addModule(channels.jacksonModule()).build();
  }

  /** Writes a value as a payload ({@code null} as JSON null). */
  public RawJson write(@Nullable Object value) {
    if (value == null) {
      return RawJson.NULL;
    }
    if (value instanceof RawJson json) {
      return json;
    }
    return RawJson.ofTrusted(mapper.writeValueAsBytes(value));
  }

  /** A value as a tree, for the parts of messages that are trees (trigger config, metadata). */
  public JsonNode toTree(Object value) {
    return value instanceof JsonNode node ? node : mapper.valueToTree(value);
  }

  /**
   * Reads a payload as plain Java values ({@code Map}, {@code List}, {@code String}, {@code
   * Number}, {@code Boolean}, {@code null}), with channel refs turned into live channel ends.
   */
  public @Nullable Object readPlain(@Nullable RawJson json) {
    if (json == null || json.isNull()) {
      return null;
    }
    return channels.resolveRefs(json.read(mapper, Object.class));
  }

  /** Reads a call's result as plain Java values (channel refs stay maps). */
  public @Nullable Object readValue(@Nullable RawJson json) {
    if (json == null || json.isNull()) {
      return null;
    }
    return json.read(mapper, Object.class);
  }

  /** Reads a tree as plain Java values (no channel resolution). */
  public @Nullable Object toPlain(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return mapper.treeToValue(node, Object.class);
  }

  /** Reads a payload as {@code type}; channel-end fields are read from refs. */
  public <T> @Nullable T read(@Nullable RawJson json, Class<T> type) {
    if (json == null || json.isNull()) {
      return null;
    }
    return json.read(inputMapper, type);
  }

  /**
   * Reads a call's result as {@code type}.
   *
   * @throws IIIException code {@code invalid_result} when it does not convert
   */
  public <T> @Nullable T readResult(String functionId, @Nullable RawJson json, Class<T> type) {
    if (json == null || json.isNull()) {
      return null;
    }
    try {
      return json.read(mapper, type);
    } catch (RuntimeException e) {
      throw new IIIException(
          IIIException.INVALID_RESULT,
          "result cannot be read as " + type.getName() + ": " + e.getMessage(),
          functionId,
          null,
          e);
    }
  }

  /** The list under {@code field} of a built-in's result, read as {@code type}s. */
  public <T> List<T> readList(@Nullable RawJson result, String field, Class<T> type) {
    JsonNode list = result == null || result.isNull() ? null : result.toTree().get(field);
    if (list == null || !list.isArray()) {
      return List.of();
    }
    JavaType listType = mapper.getTypeFactory().constructCollectionType(List.class, type);
    return List.copyOf(mapper.<List<T>>treeToValue(list, listType));
  }

  /**
   * The channel {@code engine::channels::create} answered with.
   *
   * @throws IIIException code {@code invalid_result} when the answer lacks a valid ref
   */
  public Channel readCreatedChannel(@Nullable RawJson result) {
    return new Channel(
        channels.writer(channelRef(result, "writer")),
        channels.reader(channelRef(result, "reader")));
  }

  private ChannelRef channelRef(@Nullable RawJson result, String field) {
    JsonNode ref = result == null ? null : result.toTree().get(field);
    try {
      if (ref != null && ref.isObject()) {
        return MessageCodec.instance().mapper().treeToValue(ref, ChannelRef.class);
      }
    } catch (RuntimeException e) {
      // reported below, with the whole answer
    }
    throw new IIIException(
        IIIException.INVALID_RESULT,
        "engine answered channel creation without a valid " + field + " ref: " + result,
        EngineFunctions.CHANNELS_CREATE,
        null,
        null);
  }

  /**
   * Refuses a frame the engine would not accept.
   *
   * @throws IIIException code {@code payload_too_large}
   */
  public static void checkFrameSize(@Nullable String functionId, byte[] frame, String what) {
    if (frame.length > Limits.MAX_FRAME_BYTES) {
      throw new IIIException(
          IIIException.PAYLOAD_TOO_LARGE,
          what
              + " is "
              + frame.length
              + " bytes; the engine accepts at most "
              + Limits.MAX_FRAME_BYTES
              + " bytes (16 MiB) per message",
          functionId,
          null,
          null);
    }
  }
}
