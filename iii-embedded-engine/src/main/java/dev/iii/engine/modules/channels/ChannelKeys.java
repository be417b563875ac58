package dev.iii.engine.modules.channels;

import dev.iii.protocol.ChannelRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A channel's two access keys, one per end: a reader ref's key opens only the reader end and a
 * writer ref's only the writer end, so handing someone a reader cannot let them write. Each key is
 * 192 bits from a {@link SecureRandom}, URL-safe Base64; keys are compared in constant time.
 *
 * <p>Immutable.
 *
 * @param reader the key of the reader end ({@code dir=read})
 * @param writer the key of the writer end ({@code dir=write})
 */
record ChannelKeys(String reader, String writer) {

  private static final int KEY_BYTES = 24;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODING = Base64.getUrlEncoder().withoutPadding();

  /** Two fresh, independent keys. */
  static ChannelKeys random() {
    byte[] bytes = new byte[2 * KEY_BYTES];
    RANDOM.nextBytes(bytes);
    return new ChannelKeys(
        ENCODING.encodeToString(java.util.Arrays.copyOfRange(bytes, 0, KEY_BYTES)),
        ENCODING.encodeToString(java.util.Arrays.copyOfRange(bytes, KEY_BYTES, 2 * KEY_BYTES)));
  }

  /** The key of one end. */
  String of(ChannelRef.Direction direction) {
    return direction == ChannelRef.Direction.READ ? reader : writer;
  }

  /**
   * Whether {@code given} is the key of that end, compared in constant time so that the comparison
   * does not reveal how much of it matched.
   */
  boolean opens(ChannelRef.Direction direction, String given) {
    return MessageDigest.isEqual(
        of(direction).getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
