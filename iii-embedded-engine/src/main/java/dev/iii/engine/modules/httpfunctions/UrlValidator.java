package dev.iii.engine.modules.httpfunctions;

import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.registry.InvocationError;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Decides whether the engine may call a URL, with the official engine's checks in its order: the
 * URL parses; it is {@code https} when required; its host matches an allowlist glob; and, when
 * private addresses are blocked, the host neither is nor resolves to one. The checks run when a
 * function is registered and again before every call (DNS answers change).
 */
public final class UrlValidator {

  /** The error code of a refused URL. */
  static final String URL_VALIDATION_FAILED = "url_validation_failed";

  private final List<Pattern> allowlist = new ArrayList<>();
  private final boolean blockPrivateIps;
  private final boolean requireHttps;

  /**
   * A validator for the given security settings.
   *
   * @throws IllegalArgumentException when an allowlist pattern is not a valid glob
   */
  public UrlValidator(HttpFunctionsConfig config) {
    List<String> patterns = config.urlAllowlist().isEmpty() ? List.of("*") : config.urlAllowlist();
    for (String pattern : patterns) {
      allowlist.add(glob(pattern));
    }
    this.blockPrivateIps = config.blockPrivateIps();
    this.requireHttps = config.requireHttps();
  }

  /**
   * Checks a URL. Only a host name that must be resolved makes this asynchronous (the lookup runs
   * on Reactor's bounded-elastic threads, never on the caller's).
   *
   * @return a stage that completes normally when the URL is allowed, or fails with an {@link
   *     InvocationError} {@code url_validation_failed} whose message says why
   */
  public CompletableFuture<Void> validate(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return refused("Invalid URL");
    }
    String scheme = uri.getScheme();
    if (scheme == null) {
      return refused("Invalid URL");
    }
    if (requireHttps && !scheme.equalsIgnoreCase("https")) {
      return refused("HTTPS is required");
    }
    String rawHost = uri.getHost();
    if (rawHost == null || rawHost.isEmpty()) {
      return refused("Invalid URL");
    }
    // Host names are case-insensitive and URL parsers lowercase them before matching.
    String host = rawHost.toLowerCase(Locale.ROOT);
    if (allowlist.stream().noneMatch(pattern -> pattern.matcher(host).matches())) {
      return refused("URL not in allowlist");
    }
    if (!blockPrivateIps) {
      return CompletableFuture.completedFuture(null);
    }
    InetAddress literal = literalAddress(host);
    if (literal != null) {
      return isPrivate(literal)
          ? refused("Private IP blocked")
          : CompletableFuture.completedFuture(null);
    }
    return Mono.fromCallable(() -> InetAddress.getAllByName(host))
        .subscribeOn(Schedulers.boundedElastic())
        .toFuture()
        .handle(
            (addresses, error) -> {
              if (error != null) {
                throw new InvocationError(URL_VALIDATION_FAILED, "DNS lookup failed");
              }
              for (InetAddress address : addresses) {
                if (isPrivate(address)) {
                  throw new InvocationError(URL_VALIDATION_FAILED, "Private IP blocked");
                }
              }
              return null;
            });
  }

  private static CompletableFuture<Void> refused(String message) {
    return CompletableFuture.failedFuture(new InvocationError(URL_VALIDATION_FAILED, message));
  }

  /** The address an IP literal host names (IPv6 in brackets), or null for a host name. */
  private static @Nullable InetAddress literalAddress(String host) {
    boolean ipv6 = host.startsWith("[") && host.endsWith("]");
    boolean ipv4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (!ipv4 && !ipv6) {
      return null;
    }
    try {
      // A literal is parsed, never looked up.
      return InetAddress.getByName(ipv6 ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * The official engine's "private" addresses: IPv4 loopback, RFC 1918, link-local, broadcast, the
   * documentation networks and 0.0.0.0; IPv6 loopback, unspecified, unique-local (fc00::/7),
   * link-local (fe80::/10) and multicast.
   */
  public static boolean isPrivate(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int a0 = b[0] & 0xff;
      int a1 = b[1] & 0xff;
      int a2 = b[2] & 0xff;
      return a0 == 127
          || a0 == 10
          || (a0 == 172 && a1 >= 16 && a1 <= 31)
          || (a0 == 192 && a1 == 168)
          || (a0 == 169 && a1 == 254)
          || address.getHostAddress().equals("255.255.255.255")
          || (a0 == 192 && a1 == 0 && a2 == 2)
          || (a0 == 198 && a1 == 51 && a2 == 100)
          || (a0 == 203 && a1 == 0 && a2 == 113)
          || address.isAnyLocalAddress();
    }
    if (address instanceof Inet6Address) {
      int first = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
      return address.isLoopbackAddress()
          || address.isAnyLocalAddress()
          || (first & 0xfe00) == 0xfc00
          || (first & 0xffc0) == 0xfe80
          || (b[0] & 0xff) == 0xff;
    }
    return false;
  }

  /**
   * A glob as the official engine reads it: {@code *} any run of characters (dots included), {@code
   * ?} one character, {@code [abc]}, {@code [a-z]} and {@code [!a-z]} classes; everything else
   * literal and case-sensitive.
   *
   * @throws IllegalArgumentException for an unclosed class
   */
  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else if (c == '[') {
        // A ']' right after '[' (or '[!') is a member, as in the glob crate.
        int start = i + 1;
        boolean negated = start < glob.length() && glob.charAt(start) == '!';
        int body = negated ? start + 1 : start;
        int close = glob.indexOf(']', body + 1);
        if (body >= glob.length() || close < 0) {
          throw new IllegalArgumentException("invalid URL allowlist pattern '" + glob + "'");
        }
        regex.append(negated ? "[^" : "[");
        String members = glob.substring(body, close);
        for (int j = 0; j < members.length(); j++) {
          char m = members.charAt(j);
          if (m == '-' && j > 0 && j < members.length() - 1) {
            regex.append('-');
          } else if (Character.isLetterOrDigit(m)) {
            regex.append(m);
          } else {
            regex.append('\\').append(m);
          }
        }
        regex.append(']');
        i = close;
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
