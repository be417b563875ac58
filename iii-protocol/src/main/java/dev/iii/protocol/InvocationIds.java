package dev.iii.protocol;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Invocation ids are UUIDs on the wire; the engine rejects a message that carries anything else.
 * Ids in canonical form (what every SDK writes) pass through {@link #normalize} without allocation.
 */
public final class InvocationIds {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private InvocationIds() {}

  /**
   * A fresh random (version 4) invocation id. Ids only need to be unique among calls in flight, not
   * unpredictable, so they come from the calling thread's own generator rather than the shared,
   * contended {@code SecureRandom} of {@link java.util.UUID#randomUUID()}.
   */
  public static String random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    byte[] out = new byte[36];
    hex(high >>> 32, out, 0, 8);
    out[8] = '-';
    hex(high >>> 16, out, 9, 4);
    out[13] = '-';
    hex(high, out, 14, 4);
    out[18] = '-';
    hex(low >>> 48, out, 19, 4);
    out[23] = '-';
    hex(low, out, 24, 12);
    return new String(out, StandardCharsets.US_ASCII);
  }

  private static void hex(long value, byte[] out, int at, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /**
   * Normalises an id to lower-case hyphenated form, accepting the forms the official engine accepts
   * (hyphenated, 32 hex digits, any case).
   *
   * @throws IllegalArgumentException when the value is not a UUID
   */
  public static @Nullable String normalize(@Nullable String id) {
    if (id == null) {
      return null;
    }
    if (isCanonical(id)) {
      return id;
    }
    String hex =
        switch (id.length()) {
          case 32 -> id;
          case 36 -> dehyphenate(id);
          case 38 ->
              id.charAt(0) == '{' && id.charAt(37) == '}' ? dehyphenate(id.substring(1, 37)) : null;
          case 45 -> id.startsWith("urn:uuid:") ? dehyphenate(id.substring(9)) : null;
          default -> null;
        };
    if (hex == null || !hex.chars().allMatch(InvocationIds::isHex)) {
      throw new IllegalArgumentException("invocation_id is not a UUID: " + id);
    }
    String lower = hex.toLowerCase(java.util.Locale.ROOT);
    return lower.substring(0, 8)
        + '-'
        + lower.substring(8, 12)
        + '-'
        + lower.substring(12, 16)
        + '-'
        + lower.substring(16, 20)
        + '-'
        + lower.substring(20);
  }

  /** Lower-case hex in the 8-4-4-4-12 layout. */
  private static boolean isCanonical(String id) {
    if (id.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      boolean ok =
          (i == 8 || i == 13 || i == 18 || i == 23)
              ? c == '-'
              : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable String dehyphenate(String id) {
    for (int i = 0; i < id.length(); i++) {
      boolean dashSlot = i == 8 || i == 13 || i == 18 || i == 23;
      if ((id.charAt(i) == '-') != dashSlot) {
        return null;
      }
    }
    return id.replace("-", "");
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
