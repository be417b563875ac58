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

  /**
   * An address as given, which may not even parse, with its user info (credentials) replaced by
   * {@code ***}: {@code ws://user:secret@host:1/x} as {@code ws://***@host:1/x}.
   */
  public static String redact(String address) {
    int scheme = address.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = start;
    while (end < address.length() && "/?#".indexOf(address.charAt(end)) < 0) {
      end++;
    }
    int at = address.lastIndexOf('@', end - 1);
    if (at < start) {
      return address;
    }
    return address.substring(0, start) + "***" + address.substring(at);
  }
}
