package dev.iii.engine.modules.http;

import io.netty.handler.codec.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Response headers a function asked for, kept only when they are valid HTTP. Stateless. */
final class HeaderValues {

  private static final Logger log = LoggerFactory.getLogger(HeaderValues.class);
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private HeaderValues() {}

  /** Sets (replaces) a header, or skips it when the name or value is not valid HTTP. */
  static void setIfValid(HttpHeaders headers, String name, String value) {
    if (!isToken(name) || !isValue(value)) {
      log.debug("Skipped invalid response header {}", name);
      return;
    }
    headers.set(name, value);
  }

  /** Adds a header (a name may repeat), or skips it when the name or value is not valid HTTP. */
  static void addIfValid(HttpHeaders headers, String name, String value) {
    if (!isToken(name) || !isValue(value)) {
      log.debug("Skipped invalid response header {}", name);
      return;
    }
    headers.add(name, value);
  }

  /**
   * The request header value the official engine passes on: the value when it is visible ASCII (and
   * tabs), otherwise an empty string.
   */
  static String visibleAsciiOrEmpty(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        return "";
      }
    }
    return value;
  }

  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Visible ASCII, spaces, tabs and Latin-1 (obs-text); no control characters. */
  private static boolean isValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c == 0x7f || c > 0xff)) {
        return false;
      }
    }
    return true;
  }
}
