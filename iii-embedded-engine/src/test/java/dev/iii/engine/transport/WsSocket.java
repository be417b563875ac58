package dev.iii.engine.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain {@link Socket}, written by hand so that a test controls what a
 * Netty client would do by itself: it answers no ping, reads only when told, and can shrink its
 * receive buffer so that a peer's writes back up at once.
 */
public final class WsSocket implements AutoCloseable {

  /** A frame as read: its opcode and payload. */
  public record Frame(int opcode, byte[] payload) {

    public static final int TEXT = 1;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private WsSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to 127.0.0.1:{@code port} and upgrades {@code path}. */
  public static WsSocket connect(int port, String path) throws IOException {
    return connect(port, path, 0);
  }

  /**
   * Connects and upgrades, with a receive buffer of {@code receiveBuffer} bytes ({@code 0}: the
   * system's).
   */
  public static WsSocket connect(int port, String path, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(20_000);
    WsSocket ws = new WsSocket(socket);
    String key = Base64.getEncoder().encodeToString(new byte[16]);
    ws.out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    String headers = ws.readHeaders();
    if (!headers.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("upgrade refused: " + headers);
    }
    return ws;
  }

  private String readHeaders() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed during the upgrade: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one masked text frame. */
  public void sendText(String text) throws IOException {
    sendFrame(Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked frame. */
  public synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    int length = payload.length;
    if (length < 126) {
      frame.write(0x80 | length);
    } else if (length < 65536) {
      frame.write(0x80 | 126);
      frame.write(length >>> 8);
      frame.write(length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) length >>> shift));
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    byte[] masked = new byte[length];
    for (int i = 0; i < length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    frame.write(masked);
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads the next frame, whatever it is. */
  public Frame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  /** Reads frames until a text frame, answering pings, and returns its text. */
  public String readText() throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame.opcode() == Frame.TEXT) {
        return frame.text();
      }
      if (frame.opcode() == Frame.PING) {
        sendFrame(Frame.PONG, frame.payload());
      }
    }
  }

  /** Reads text frames until one contains {@code fragment}, and returns it. */
  public String readTextContaining(String fragment) throws IOException {
    while (true) {
      String text = readText();
      if (text.contains(fragment)) {
        return text;
      }
    }
  }

  /**
   * Reads (and discards) until the peer closes the connection, answering no ping.
   *
   * @return the number of ping frames read on the way, or -1 if the socket was still open after
   *     {@code timeout} of silence
   */
  public int awaitClosedByPeer(Duration timeout) throws IOException {
    socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
    int pings = 0;
    try {
      while (true) {
        Frame frame = readFrame();
        if (frame.opcode() == Frame.PING) {
          pings++;
        }
      }
    } catch (EOFException | SocketException e) {
      return pings; // end of stream, or reset by the peer
    } catch (SocketTimeoutException e) {
      return -1;
    }
  }

  /** The raw input, for tests that read bytes themselves. */
  public InputStream input() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
