package dev.iii.protocol;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Invocation ids are UUIDs on the wire; the engine rejects a message that carries anything else.
 */
public final class InvocationIds {

  private InvocationIds() {}

  /** A fresh random invocation id. */
  public static String random() {
    return UUID.randomUUID().toString();
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
