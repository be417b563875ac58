package dev.iii.spring.boot.autoconfigure;

import java.net.URI;

/**
 * {@link IIIConnectionDetails} read from {@code iii.url}: the fallback when no service connection
 * or embedded engine provides the engine's address.
 */
public class PropertiesIIIConnectionDetails implements IIIConnectionDetails {

  private final IIIProperties properties;

  /** Details backed by the given properties. */
  public PropertiesIIIConnectionDetails(IIIProperties properties) {
    this.properties = properties;
  }

  @Override
  public URI url() {
    return properties.url();
  }
}
