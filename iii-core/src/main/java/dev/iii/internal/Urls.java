package dev.iii.internal;

import java.net.URI;

/** Addresses as they may be shown: without user info (credentials). */
public final class Urls {

  private Urls() {}

  /** {@code ws://user:secret@host:1/x} as {@code ws://host:1/x}. */
  public static String redact(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    String text = uri.toString();
    return text.replace(uri.getRawUserInfo() + "@", "");
  }
}
