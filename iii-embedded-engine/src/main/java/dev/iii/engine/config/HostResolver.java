package dev.iii.engine.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns the host name of an HTTP function's URL into addresses. The engine asks once per call and
 * connects only to an address it got from that one answer, after checking it; it never lets its
 * HTTP client resolve the name again (that second answer could differ: DNS rebinding).
 *
 * <p>An embedding application or a test may supply its own (e.g. to pin names to addresses); the
 * default is the JDK's resolver. Implementations may block: the engine calls them on Reactor's
 * bounded-elastic threads, never on an event loop, and may call them from several threads at once.
 */
@FunctionalInterface
public interface HostResolver {

  /** The JDK's resolver ({@link InetAddress#getAllByName(String)}), with its cache. */
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /**
   * The addresses of a host name, in the order to try them.
   *
   * @param host a host name, never an IP literal
   * @return at least one address
   * @throws UnknownHostException when the name does not resolve
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
