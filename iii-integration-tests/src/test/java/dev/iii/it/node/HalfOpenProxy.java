package dev.iii.it.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback TCP proxy that can make a worker's connection half-open, as after a NAT drop: {@link
 * #dropClients()} resets the worker's side of every current connection (the worker sees the
 * connection die and reconnects through this proxy, which keeps accepting) while the engine's side
 * stays open and silent, so the engine keeps the old connection as long as nothing retires it. This
 * is the case the v0.22.1 {@code reattach} message exists for.
 */
final class HalfOpenProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final List<Link> links = new CopyOnWriteArrayList<>();

  /**
   * One proxied connection; once {@code dropped}, its pumps stop without closing the engine side.
   */
  private record Link(Socket client, Socket upstream, AtomicBoolean dropped) {}

  private HalfOpenProxy(ServerSocket server, int targetPort) {
    this.server = server;
    this.targetPort = targetPort;
  }

  /** Starts proxying {@code 127.0.0.1:<free port>} to {@code 127.0.0.1:targetPort}. */
  static HalfOpenProxy start(int targetPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    HalfOpenProxy proxy = new HalfOpenProxy(server, targetPort);
    daemon("half-open-proxy-accept", proxy::acceptLoop);
    return proxy;
  }

  /** The port workers connect to. */
  int port() {
    return server.getLocalPort();
  }

  /** Resets the worker side of every current connection; the engine side stays open. */
  void dropClients() {
    for (Link link : links) {
      if (link.dropped().compareAndSet(false, true)) {
        try {
          link.client().setSoLinger(true, 0); // RST: the worker learns at once
          link.client().close();
        } catch (IOException e) {
          // Already gone.
        }
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(server);
    for (Link link : links) {
      closeQuietly(link.client());
      closeQuietly(link.upstream());
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        Link link = new Link(client, upstream, new AtomicBoolean());
        links.add(link);
        daemon("half-open-proxy-up", () -> pump(client, upstream, link));
        daemon("half-open-proxy-down", () -> pump(upstream, client, link));
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private static void pump(Socket from, Socket to, Link link) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away.
    }
    if (!link.dropped().get()) {
      // An ordinary close on either side: pass it on.
      closeQuietly(link.client());
      closeQuietly(link.upstream());
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Nothing left to release.
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }
}
