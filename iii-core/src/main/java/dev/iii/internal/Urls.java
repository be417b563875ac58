package dev.iii.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Engine addresses: parsed, refusing credentials in them (they would go to DNS and into every log
 * line as part of the host name), and shown without user info. Stateless.
 */
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

  /**
   * Parses an engine address: a {@code ws://} or {@code wss://} URL with a host and no credentials.
   *
   * @throws IllegalArgumentException otherwise, with a message that never repeats credentials
   */
  public static URI engineAddress(String address) {
    Objects.requireNonNull(address, "address");
    URI uri;
    try {
      uri = new URI(address);
    } catch (URISyntaxException e) {
      // Not URI.create: its message repeats the whole address, credentials included.
      throw new IllegalArgumentException(
          "engine address is not a valid URL: " + redact(address) + " (" + e.getReason() + ")");
    }
    String authority = uri.getRawAuthority();
    if (uri.getRawUserInfo() != null || (authority != null && authority.contains("@"))) {
      throw new IllegalArgumentException(
          "engine address must not contain credentials: "
              + redact(address)
              + "; send them with the handshake instead (InitOptions.headers, e.g. Authorization,"
              + " or queryParams), where the engine's auth function reads them");
    }
    if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "engine address must be a ws:// or wss:// URL: " + redact(uri));
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("engine address has no host: " + redact(uri));
    }
    return uri;
  }
}
