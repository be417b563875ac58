package dev.iii.engine.modules.httpfunctions;

/**
 * The one way this module shows a function's URL in a log line or an error message: with any user
 * information ({@code user:password@}) replaced by {@code ***}, so {@code http://user:pass@host/x}
 * reads {@code http://***@host/x}. It works on text that is not a valid URL too, since refused URLs
 * are shown as well.
 *
 * <p>Stateless.
 */
public final class UrlRedaction {

  private UrlRedaction() {}

  /** The URL with its user information, if any, replaced by {@code ***}. */
  public static String redact(String url) {
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = url.length();
    for (int i = start; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#' || c == '\\') {
        end = i;
        break;
      }
    }
    // The last '@' of the authority ends the user information (a password may contain '@').
    int at = url.lastIndexOf('@', end - 1);
    if (at < start) {
      return url;
    }
    return url.substring(0, start) + "***" + url.substring(at);
  }
}
