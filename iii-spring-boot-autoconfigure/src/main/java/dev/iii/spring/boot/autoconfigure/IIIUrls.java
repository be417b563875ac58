package dev.iii.spring.boot.autoconfigure;

import dev.iii.III;
import dev.iii.IIIClient;
import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/** Engine addresses as they may be shown in logs, errors and health details. */
final class IIIUrls {

  private IIIUrls() {}

  /**
   * The address {@code client} connects to, without credentials: its own when it tells it (an
   * {@link III}), else the configured one.
   */
  static String describe(IIIClient client, @Nullable IIIConnectionDetails configured) {
    if (client instanceof III iii) {
      return withoutCredentials(iii.address());
    }
    return configured != null ? withoutCredentials(configured.url()) : "(unknown address)";
  }

  /** {@code url} without user info, query or fragment, which may carry credentials. */
  static String withoutCredentials(URI url) {
    if (url.getRawUserInfo() == null && url.getRawQuery() == null && url.getRawFragment() == null) {
      return url.toString();
    }
    try {
      return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return url.getScheme() + "://" + url.getHost() + ":" + url.getPort();
    }
  }
}
