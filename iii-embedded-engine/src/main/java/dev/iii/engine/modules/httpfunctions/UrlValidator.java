package dev.iii.engine.modules.httpfunctions;

import dev.iii.engine.config.HostResolver;
import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.registry.InvocationError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Decides whether the engine may call a URL, with the official engine's checks in its order: the
 * URL parses (and carries no credentials); it is {@code https} when required; its host matches an
 * allowlist glob; and, when private addresses are blocked, the host neither is nor resolves to a
 * {@linkplain BlockedAddresses blocked address}. The checks run when a function is registered
 * ({@link #validate}) and again before every call ({@link #target}), which also picks the one
 * address the call connects to, from the same single lookup, so a DNS answer that changes between
 * the check and the connection (DNS rebinding) cannot lead the call elsewhere.
 *
 * <p>Immutable and thread-safe; lookups run on Reactor's bounded-elastic threads.
 */
public final class UrlValidator {

  /** The error code of a refused URL. */
  static final String URL_VALIDATION_FAILED = "url_validation_failed";

  /** The error code of a call that could not be sent (as the official engine's). */
  static final String HTTP_REQUEST_FAILED = "http_request_failed";

  private final List<Pattern> allowlist = new ArrayList<>();
  private final boolean blockPrivateIps;
  private final boolean requireHttps;
  private final HostResolver resolver;

  /**
   * Where one call goes: the URL's parts and the one address it connects to.
   *
   * @param secure {@code https}
   * @param host the URL's host, lowercase, without brackets for IPv6
   * @param port the URL's port or the scheme's default
   * @param hostHeader the {@code Host} header: the host (IPv6 in brackets) and any non-default port
   * @param pathAndQuery the request target: the raw path ({@code /} when empty) and query
   * @param address the checked address the connection goes to
   */
  record Target(
      boolean secure,
      String host,
      int port,
      String hostHeader,
      String pathAndQuery,
      InetAddress address) {

    /**
     * The connection's remote address: resolved (so no client looks the name up again) yet named
     * after the URL's host, which TLS uses for SNI and for checking the certificate.
     */
    InetSocketAddress socketAddress() {
      try {
        return new InetSocketAddress(InetAddress.getByAddress(host, address.getAddress()), port);
      } catch (UnknownHostException e) {
        // Only thrown for a byte array of the wrong length, which an InetAddress never has.
        throw new IllegalStateException(e);
      }
    }
  }

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
    this.resolver = config.resolver();
  }

  /**
   * Checks a URL, as at registration: a host name is looked up only when private addresses are
   * blocked (the lookup runs on Reactor's bounded-elastic threads, never on the caller's).
   *
   * @return a stage that completes normally when the URL is allowed, or fails with an {@link
   *     InvocationError} {@code url_validation_failed} whose message says why
   */
  public CompletableFuture<Void> validate(String url) {
    return check(url, false).thenApply(target -> null);
  }

  /**
   * Checks a URL for a call and picks the address to connect to: a host name is looked up once,
   * every address of the answer is checked (when private addresses are blocked), and the first is
   * the target.
   *
   * @return the target, or a stage failed with an {@link InvocationError}: {@code
   *     url_validation_failed}, or {@code http_request_failed} for a scheme other than http(s) or a
   *     name that does not resolve while private addresses are allowed
   */
  CompletableFuture<Target> target(String url) {
    return check(url, true).thenApply(Objects::requireNonNull);
  }

  /** The checks; without {@code connect}, the target is null unless an address was at hand. */
  private CompletableFuture<@Nullable Target> check(String url, boolean connect) {
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
    if (uri.getRawUserInfo() != null) {
      // A client would send them in the clear or take them for the host; the engine never logs
      // them.
      return refused("Credentials in the URL are not allowed: " + UrlRedaction.redact(url));
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
    if (!connect && !blockPrivateIps) {
      return CompletableFuture.completedFuture(null);
    }
    boolean secure = scheme.equalsIgnoreCase("https");
    if (connect && !secure && !scheme.equalsIgnoreCase("http")) {
      return CompletableFuture.failedFuture(
          new InvocationError(
              HTTP_REQUEST_FAILED,
              "error sending request for url ("
                  + UrlRedaction.redact(url)
                  + "): URL scheme is not allowed"));
    }
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    int defaultPort = secure ? 443 : 80;
    int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
    String hostHeader = port == defaultPort ? host : host + ":" + port;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    InetAddress literal = literalAddress(host);
    if (literal != null) {
      return blockPrivateIps && isPrivate(literal)
          ? refused("Private IP blocked")
          : CompletableFuture.completedFuture(
              new Target(secure, bare, port, hostHeader, pathAndQuery, literal));
    }
    return Mono.fromCallable(() -> resolver.resolve(bare))
        .subscribeOn(Schedulers.boundedElastic())
        .toFuture()
        .handle(
            (addresses, error) -> {
              if (error != null || addresses == null || addresses.isEmpty()) {
                if (blockPrivateIps) {
                  throw new InvocationError(URL_VALIDATION_FAILED, "DNS lookup failed");
                }
                throw new InvocationError(
                    HTTP_REQUEST_FAILED,
                    "error sending request for url ("
                        + UrlRedaction.redact(url)
                        + "): failed to resolve host '"
                        + bare
                        + "'");
              }
              if (blockPrivateIps) {
                for (InetAddress address : addresses) {
                  if (isPrivate(address)) {
                    throw new InvocationError(URL_VALIDATION_FAILED, "Private IP blocked");
                  }
                }
              }
              return new Target(secure, bare, port, hostHeader, pathAndQuery, addresses.get(0));
            });
  }

  private static CompletableFuture<@Nullable Target> refused(String message) {
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
   * Whether {@code block_private_ips} refuses the address: the official engine's private addresses
   * (loopback, RFC 1918, link-local, broadcast, documentation, unspecified, unique-local,
   * multicast) and the other special-purpose ranges of {@link BlockedAddresses}, IPv4 addresses
   * embedded in IPv6 judged as IPv4.
   */
  public static boolean isPrivate(InetAddress address) {
    return BlockedAddresses.contains(address);
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
