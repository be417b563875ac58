package dev.iii.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 written by hand on a plain socket, for requests no HTTP client would send (smuggling
 * attempts, missing {@code Host}, raw percent-escapes, chunked bodies cut short).
 */
final class RawHttp {

  /** How long a read may wait; only reached when the engine neither answers nor closes. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");

  private RawHttp() {}

  /**
   * Writes {@code request} in one go and reads until the engine closes the connection.
   *
   * @return everything the engine sent; a {@link java.net.SocketTimeoutException} (wrapped) when it
   *     kept the connection open
   */
  static String exchangeUntilClosed(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The status codes of the responses in {@code reply}, in order. */
  static List<Integer> statuses(String reply) {
    List<Integer> statuses = new ArrayList<>();
    Matcher matcher = STATUS_LINE.matcher(reply);
    while (matcher.find()) {
      statuses.add(Integer.parseInt(matcher.group(1)));
    }
    return statuses;
  }

  /** The body of the (single) response in {@code reply}. */
  static String body(String reply) {
    int end = reply.indexOf("\r\n\r\n");
    return end < 0 ? "" : reply.substring(end + 4);
  }

  /** A chunked body: one chunk per part, then the last chunk (unless {@code finish} is false). */
  static String chunked(boolean finish, String... parts) {
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      out.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
    }
    if (finish) {
      out.append("0\r\n\r\n");
    }
    return out.toString();
  }
}
