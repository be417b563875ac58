package dev.iii.spring.boot.autoconfigure;

import java.net.URI;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the iii engine is. By default taken from {@code iii.url}; a service connection (e.g. a
 * Testcontainers container annotated {@code @ServiceConnection}) or the embedded engine supplies
 * its own.
 */
public interface IIIConnectionDetails extends ConnectionDetails {

  /** The engine's worker WebSocket address, e.g. {@code ws://localhost:49134}. */
  URI url();
}
