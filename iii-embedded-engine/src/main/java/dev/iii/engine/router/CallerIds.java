package dev.iii.engine.router;

import dev.iii.engine.registry.Worker;
import dev.iii.protocol.RawJson;
import dev.iii.protocol.WireFields;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Adds {@code _caller_worker_id} to the object data of a worker's call. This runs for every call,
 * so the common case (the caller did not send the member itself) appends the precomputed bytes to
 * the payload in one copy, without Jackson; {@link RawJson#withMember} would serialise the name and
 * the member on every call. A payload that already names the member goes through {@code
 * withMember}, which replaces the value in place. Stateless.
 */
final class CallerIds {

  /** {@code "_caller_worker_id":} as it is appended (the name needs no escaping). */
  private static final byte[] KEY =
      ("\"" + WireFields.CALLER_WORKER_ID + "\":").getBytes(StandardCharsets.UTF_8);

  /** The quoted name, to spot a payload that already carries the member. */
  private static final byte[] QUOTED_NAME =
      ("\"" + WireFields.CALLER_WORKER_ID + "\"").getBytes(StandardCharsets.UTF_8);

  private CallerIds() {}

  /** {@code data} (a JSON object) with {@code _caller_worker_id} set to the caller's id. */
  static RawJson inject(RawJson data, Worker caller) {
    byte[] id = caller.idJson();
    int length = data.byteLength();
    // Room for the payload, a comma, the member and the closing brace.
    byte[] out = new byte[length + 1 + KEY.length + id.length + 1];
    try {
      data.writeTo(new ArrayOutput(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an array never fails
    }
    if (contains(out, length, QUOTED_NAME)) {
      return data.withMember(WireFields.CALLER_WORKER_ID, caller.id());
    }
    int close = length - 1;
    while (out[close] != '}') {
      close--; // trailing whitespace
    }
    int open = 0;
    while (out[open] != '{') {
      open++; // leading whitespace
    }
    boolean empty = true;
    for (int i = open + 1; i < close; i++) {
      if (!isWhitespace(out[i])) {
        empty = false;
        break;
      }
    }
    int at = close;
    if (!empty) {
      out[at++] = ',';
    }
    System.arraycopy(KEY, 0, out, at, KEY.length);
    at += KEY.length;
    System.arraycopy(id, 0, out, at, id.length);
    at += id.length;
    out[at++] = '}';
    return RawJson.ofTrusted(at == out.length ? out : Arrays.copyOf(out, at));
  }

  private static boolean contains(byte[] bytes, int length, byte[] needle) {
    int last = length - needle.length;
    byte first = needle[0];
    byte second = needle[1];
    outer:
    for (int i = 0; i <= last; i++) {
      if (bytes[i] != first || bytes[i + 1] != second) {
        continue;
      }
      for (int j = 2; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  /** Receives {@link RawJson#writeTo} into a preallocated array. */
  private static final class ArrayOutput extends OutputStream {

    private final byte[] target;
    private int size;

    ArrayOutput(byte[] target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      target[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      System.arraycopy(b, off, target, size, len);
      size += len;
    }
  }
}
