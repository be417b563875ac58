package dev.iii.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.json.UTF8StreamJsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One JSON value kept as its UTF-8 text: a payload ({@code data}, {@code result}) passes through
 * the protocol layer without being turned into a tree. The engine forwards it byte for byte; a
 * client binds it once, straight to the type its user asked for.
 *
 * <p>Decoding a frame slices the payload out of the frame's bytes (no copy); encoding writes the
 * bytes into the outgoing frame. Instances are immutable and thread-safe; they may share the array
 * of the frame they were read from, which they never change.
 */
@JsonSerialize(using = RawJson.Writer.class)
@JsonDeserialize(using = RawJson.Reader.class)
public final class RawJson {

  /** JSON {@code null}. */
  public static final RawJson NULL = new RawJson("null".getBytes(StandardCharsets.UTF_8), 0, 4);

  /** The empty JSON object {@code {}}. */
  public static final RawJson EMPTY_OBJECT =
      new RawJson("{}".getBytes(StandardCharsets.UTF_8), 0, 2);

  private final byte[] bytes;
  private final int offset;
  private final int length;

  private RawJson(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  /**
   * Wraps UTF-8 JSON text the caller vouches for: exactly one valid JSON value (what a JSON
   * serialiser wrote). It is not checked; use {@link #parse(String)} for text from elsewhere. The
   * array is not copied and must not change afterwards.
   */
  public static RawJson ofTrusted(byte[] utf8) {
    Objects.requireNonNull(utf8, "utf8");
    return utf8.length == 0 ? NULL : new RawJson(utf8, 0, utf8.length);
  }

  /** {@link #ofTrusted(byte[])} for JSON text held as a string. */
  public static RawJson ofTrusted(String json) {
    return ofTrusted(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Checks that {@code json} is exactly one JSON value and wraps it.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static RawJson parse(String json) {
    Objects.requireNonNull(json, "json");
    try {
      MessageCodec.instance().mapper().readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not one JSON value: " + e.getOriginalMessage(), e);
    }
    return ofTrusted(json);
  }

  /** A tree written as JSON. */
  public static RawJson of(@Nullable JsonNode tree) {
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return NULL;
    }
    return ofTrusted(MessageCodec.instance().mapper().writeValueAsBytes(tree));
  }

  /** Whether this is JSON {@code null}. */
  public boolean isNull() {
    return this == NULL || (length == 4 && firstByte() == 'n');
  }

  /** Whether this is a JSON object. */
  public boolean isObject() {
    return firstByte() == '{';
  }

  /** The length of the JSON text in bytes (a payload's size on the wire). */
  public int byteLength() {
    return length;
  }

  /** Reads the value as a tree (for code that inspects it; costs a parse). */
  public JsonNode toTree() {
    return MessageCodec.instance().mapper().readTree(bytes, offset, length);
  }

  /** Reads the value with {@code mapper} as {@code type} (one parse, no tree). */
  public <T> @Nullable T read(ObjectMapper mapper, Class<T> type) {
    return mapper.readValue(bytes, offset, length, type);
  }

  /** Reads the value with {@code mapper} as {@code type} (one parse, no tree). */
  public <T> @Nullable T read(ObjectMapper mapper, JavaType type) {
    return mapper.readValue(bytes, offset, length, type);
  }

  /** The JSON text. */
  public String text() {
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  /** A copy of the UTF-8 JSON text. */
  public byte[] toByteArray() {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  /** Writes the UTF-8 JSON text to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, offset, length);
  }

  /**
   * This object with member {@code name} set to the string {@code value}: for the engine's
   * additions to a payload it otherwise forwards untouched. The member is appended to the text as
   * it is; only when the name already occurs in the text is the object read and written again (the
   * member then keeps its place, as the official engine's map insert does).
   *
   * @throws IllegalStateException when this is not an object
   */
  public RawJson withMember(String name, String value) {
    if (!isObject()) {
      throw new IllegalStateException("not a JSON object");
    }
    if (contains(MessageCodec.instance().mapper().writeValueAsBytes(name))) {
      tools.jackson.databind.node.ObjectNode tree =
          (tools.jackson.databind.node.ObjectNode) toTree();
      tree.put(name, value);
      return of(tree);
    }
    byte[] member =
        MessageCodec.instance()
            .mapper()
            .writeValueAsBytes(java.util.Collections.singletonMap(name, value));
    // member is {"name":"value"}: its inside goes before this object's closing brace.
    int close = offset + length - 1;
    while (bytes[close] != '}') {
      close--; // trailing whitespace
    }
    boolean empty = true;
    for (int i = offset + 1; i < close; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        empty = false;
        break;
      }
    }
    int head = close - offset;
    int inner = member.length - 2;
    byte[] out = new byte[head + (empty ? 0 : 1) + inner + 1];
    System.arraycopy(bytes, offset, out, 0, head);
    int at = head;
    if (!empty) {
      out[at++] = ',';
    }
    System.arraycopy(member, 1, out, at, inner);
    out[out.length - 1] = '}';
    return new RawJson(out, 0, out.length);
  }

  /** Whether {@code needle} occurs in the text (a quick test, not a parse). */
  private boolean contains(byte[] needle) {
    int last = offset + length - needle.length;
    outer:
    for (int i = offset; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private byte firstByte() {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b;
      }
    }
    return 0;
  }

  /**
   * The same JSON value: the same text, or text that reads as an equal tree (so {@code {"a": 1}}
   * equals {@code {"a":1}}). Comparing texts that differ costs two parses.
   */
  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof RawJson that)) {
      return false;
    }
    return Arrays.equals(
            bytes, offset, offset + length, that.bytes, that.offset, that.offset + that.length)
        || toTree().equals(that.toTree());
  }

  /** Consistent with {@link #equals}: the hash of the tree (costs a parse). */
  @Override
  public int hashCode() {
    return toTree().hashCode();
  }

  /** The JSON text. */
  @Override
  public String toString() {
    return text();
  }

  // ---------------------------------------------------------------------------------------------
  // Jackson

  /** This value as Jackson's raw-value input: its bytes, written as they are. */
  SerializableString asSerializable() {
    return new Utf8Slice(this);
  }

  /**
   * The value the parser is at, sliced out of {@code frame} (the bytes the parser reads), which the
   * parser then has consumed.
   *
   * @throws IllegalStateException when the parser does not read {@code frame}'s bytes directly
   */
  static RawJson slice(JsonParser parser, byte[] frame) {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return NULL;
    }
    if (parser.getClass() != UTF8StreamJsonParser.class) {
      throw new IllegalStateException("the parser does not read the frame's bytes");
    }
    long start = parser.currentTokenLocation().getByteOffset();
    if (token.isStructStart()) {
      parser.skipChildren();
    } else {
      parser.finishToken();
    }
    long end = parser.currentLocation().getByteOffset();
    if (start < 0 || end <= start || end > frame.length) {
      throw new IllegalStateException("cannot locate a payload in its frame");
    }
    return new RawJson(frame, (int) start, (int) (end - start));
  }

  /** Writes the bytes as they are into the output (no parse, no escaping). */
  static final class Writer extends ValueSerializer<RawJson> {
    @Override
    public void serialize(RawJson value, JsonGenerator gen, SerializationContext ctxt) {
      gen.writeRawValue(value.asSerializable());
    }
  }

  /**
   * Slices the value out of the frame being decoded. That is possible when the parser reads the
   * frame's own bytes (the usual case: {@code type} first); when Jackson has buffered the value (a
   * {@code type} written after the payload), it is read as a tree and written out again.
   */
  static final class Reader extends ValueDeserializer<RawJson> {
    @Override
    public RawJson deserialize(JsonParser p, DeserializationContext ctxt) {
      byte[] frame = MessageCodec.currentFrame();
      if (frame != null && p.getClass() == UTF8StreamJsonParser.class) {
        return slice(p, frame);
      }
      JsonNode tree = ctxt.readTree(p);
      return RawJson.of(tree);
    }

    @Override
    public RawJson getNullValue(DeserializationContext ctxt) {
      return NULL;
    }
  }

  /** The bytes of a {@link RawJson} as Jackson's raw-value input. */
  private static final class Utf8Slice implements SerializableString {

    private final RawJson json;

    Utf8Slice(RawJson json) {
      this.json = json;
    }

    @Override
    public String getValue() {
      return json.text();
    }

    @Override
    public int charLength() {
      return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return json.toByteArray();
    }

    @Override
    public byte[] asQuotedUTF8() {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + json.length > buffer.length) {
        return -1;
      }
      System.arraycopy(json.bytes, json.offset, buffer, offset, json.length);
      return json.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      String value = getValue();
      if (offset + value.length() > buffer.length) {
        return -1;
      }
      value.getChars(0, value.length(), buffer, offset);
      return value.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      json.writeTo(out);
      return json.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
      if (json.length > buffer.remaining()) {
        return -1;
      }
      buffer.put(json.bytes, json.offset, json.length);
      return json.length;
    }
  }
}
