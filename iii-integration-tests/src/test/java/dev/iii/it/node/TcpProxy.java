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

/**
 * A loopback TCP proxy to one target port, used to make a worker's connection die like a crashed
 * process's would: {@link #cut()} resets every proxied connection (RST, no WebSocket close
 * handshake) and accepts no new ones.
 */
final class TcpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private TcpProxy(ServerSocket server, int targetPort) {
    this.server = server;
    this.targetPort = targetPort;
  }

  /** Starts proxying {@code 127.0.0.1:<free port>} to {@code 127.0.0.1:targetPort}. */
  static TcpProxy start(int targetPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    TcpProxy proxy = new TcpProxy(server, targetPort);
    daemon("tcp-proxy-accept", proxy::acceptLoop);
    return proxy;
  }

  /** The port clients connect to. */
  int port() {
    return server.getLocalPort();
  }

  /** Resets every proxied connection at once and refuses new ones. */
  void cut() {
    try {
      server.close();
    } catch (IOException e) {
      // Already closed.
    }
    for (Socket socket : sockets) {
      try {
        socket.setSoLinger(true, 0);
        socket.close();
      } catch (IOException e) {
        // Already closed.
      }
    }
  }

  @Override
  public void close() {
    cut();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed by cut()
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        daemon("tcp-proxy-up", () -> pump(client, upstream));
        daemon("tcp-proxy-down", () -> pump(upstream, client));
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away; close both below.
    }
    closeQuietly(from);
    closeQuietly(to);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }
}
