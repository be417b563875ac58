package dev.iii.engine.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Finds the top-level {@code type}, {@code invocation_id} and {@code function_id} of a message the
 * codec could not decode, so that the invocation it belongs to can still be ended. It is not a
 * parser: it reads only the top-level keys and string values, skips every other value by counting
 * brackets outside strings (so nesting depth and number length do not matter), reads in one pass
 * without recursion, and stops, keeping what it found, where the text is cut off or malformed.
 *
 * <p>Stateless; safe from any thread.
 */
final class FrameScanner {

  /** The longest string value kept; ids are UUIDs, function ids short names. */
  static final int MAX_VALUE_BYTES = 1024;

  /** What could be read of a message; a field is {@code null} when it was not found as a string. */
  record Fields(
      @Nullable String type, @Nullable String invocationId, @Nullable String functionId) {}

  private static final Fields NOTHING = new Fields(null, null, null);

  private FrameScanner() {}

  /** Reads the top-level fields of {@code json} as far as it can. */
  static Fields scan(byte[] json) {
    int i = skipWhitespace(json, 0);
    if (i >= json.length || json[i] != '{') {
      return NOTHING;
    }
    i++;
    String type = null;
    String invocationId = null;
    String functionId = null;
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    while (true) {
      i = skipWhitespace(json, i);
      if (i >= json.length || json[i] == '}') {
        break;
      }
      if (json[i] == ',') {
        i++;
        continue;
      }
      if (json[i] != '"') {
        break; // not a key: malformed from here on
      }
      text.reset();
      i = readString(json, i, text);
      if (i < 0) {
        break;
      }
      String key = text.toString(StandardCharsets.UTF_8);
      i = skipWhitespace(json, i);
      if (i >= json.length || json[i] != ':') {
        break;
      }
      i = skipWhitespace(json, i + 1);
      if (i >= json.length) {
        break;
      }
      if (json[i] == '"') {
        text.reset();
        i = readString(json, i, text);
        if (i < 0) {
          break;
        }
        String value = text.size() > MAX_VALUE_BYTES ? null : text.toString(StandardCharsets.UTF_8);
        switch (key) {
          case "type" -> type = value;
          case "invocation_id" -> invocationId = value;
          case "function_id" -> functionId = value;
          default -> {}
        }
      } else {
        i = skipValue(json, i);
        if (i < 0) {
          break;
        }
      }
    }
    return new Fields(type, invocationId, functionId);
  }

  /**
   * Reads the string whose opening quote is at {@code start} into {@code out} (UTF-8, escapes
   * resolved; past {@link #MAX_VALUE_BYTES} it only skips).
   *
   * @return the index after the closing quote, or -1 when the text ends first
   */
  private static int readString(byte[] json, int start, ByteArrayOutputStream out) {
    int i = start + 1;
    while (i < json.length) {
      byte b = json[i];
      if (b == '"') {
        return i + 1;
      }
      boolean keep = out.size() <= MAX_VALUE_BYTES;
      if (b != '\\') {
        if (keep) {
          out.write(b);
        }
        i++;
        continue;
      }
      if (i + 1 >= json.length) {
        return -1;
      }
      byte escaped = json[i + 1];
      if (escaped == 'u') {
        if (i + 6 > json.length) {
          return -1;
        }
        int code = hex(json, i + 2);
        if (code < 0) {
          return -1;
        }
        if (keep) {
          out.writeBytes(String.valueOf((char) code).getBytes(StandardCharsets.UTF_8));
        }
        i += 6;
        continue;
      }
      if (keep) {
        out.write(unescape(escaped));
      }
      i += 2;
    }
    return -1;
  }

  /**
   * Skips one value that is not a string: an object or array up to its matching bracket (strings
   * inside skipped with their escapes), or a literal or number up to the next delimiter.
   *
   * @return the index after the value, or -1 when the text ends first
   */
  private static int skipValue(byte[] json, int start) {
    byte first = json[start];
    if (first != '{' && first != '[') {
      int i = start;
      while (i < json.length) {
        byte b = json[i];
        if (b == ',' || b == '}' || b == ']' || isWhitespace(b)) {
          return i;
        }
        i++;
      }
      return -1;
    }
    long depth = 0;
    int i = start;
    while (i < json.length) {
      byte b = json[i];
      if (b == '"') {
        i = skipString(json, i);
        if (i < 0) {
          return -1;
        }
        continue;
      }
      if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return -1;
  }

  private static int skipString(byte[] json, int start) {
    int i = start + 1;
    while (i < json.length) {
      byte b = json[i];
      if (b == '"') {
        return i + 1;
      }
      i += b == '\\' ? 2 : 1;
    }
    return -1;
  }

  private static int hex(byte[] json, int from) {
    int code = 0;
    for (int k = from; k < from + 4; k++) {
      int digit = Character.digit(json[k], 16);
      if (digit < 0) {
        return -1;
      }
      code = code * 16 + digit;
    }
    return code;
  }

  private static int unescape(byte escaped) {
    return switch (escaped) {
      case 'n' -> '\n';
      case 't' -> '\t';
      case 'r' -> '\r';
      case 'b' -> '\b';
      case 'f' -> '\f';
      default -> escaped; // \" \\ \/ and anything else as itself
    };
  }

  private static int skipWhitespace(byte[] json, int from) {
    int i = from;
    while (i < json.length && isWhitespace(json[i])) {
      i++;
    }
    return i;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
