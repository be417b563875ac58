package dev.iii.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this SDK, as written by the build. */
public final class SdkVersion {

  private static final String VERSION = load();

  private SdkVersion() {}

  /** E.g. {@code 0.1.0}; {@code unknown} when the build did not record it. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = SdkVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
