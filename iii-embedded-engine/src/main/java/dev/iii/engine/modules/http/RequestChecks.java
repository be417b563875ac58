package dev.iii.engine.modules.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

/**
 * What every request must pass before any route, middleware or function sees it: a framing nobody
 * can read two ways (RFC 9112 §6.1, §6.3), exactly one {@code Host} on HTTP/1.1 (§3.2), a declared
 * body within the limit; and the decoding of path parameters. Stateless.
 */
final class RequestChecks {

  private RequestChecks() {}

  /**
   * Why the request's head is refused, or {@code null} when it may be served. The refusals close
   * the connection: after a framing error the bytes that follow cannot be trusted to be a request.
   *
   * @param bodyLimit the largest body accepted, in bytes
   */
  static @Nullable HttpOutcome refusal(HttpServerRequest request, long bodyLimit) {
    HttpHeaders headers = request.requestHeaders();
    List<String> transferEncodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!transferEncodings.isEmpty()) {
      // Only "chunked" alone frames a body here; anything else (xchunked, "chunked, identity",
      // gzip, chunked) another hop may frame differently, which is how requests are smuggled.
      if (transferEncodings.size() != 1
          || !transferEncodings
              .get(0)
              .trim()
              .equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString())) {
        return HttpErrors.badFraming("Transfer-Encoding other than chunked is not supported");
      }
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        return HttpErrors.badFraming("Transfer-Encoding together with Content-Length");
      }
    }
    if (request.version().equals(HttpVersion.HTTP_1_1)
        && headers.getAll(HttpHeaderNames.HOST).size() != 1) {
      return HttpErrors.badFraming("an HTTP/1.1 request needs exactly one Host header");
    }
    List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
    if (lengths.size() == 1) {
      String length = lengths.get(0).trim();
      // Netty has refused lengths that are not numbers; one too long for a long is too large.
      if (!length.isEmpty()
          && length.chars().allMatch(Character::isDigit)
          && (length.length() > 18 || Long.parseLong(length) > bodyLimit)) {
        return HttpErrors.payloadTooLarge(bodyLimit);
      }
    }
    return null;
  }

  /** A path parameter that does not decode to text: a bad escape, invalid UTF-8 or a NUL. */
  static final class BadPathParameter extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    BadPathParameter(String reason) {
      super(reason);
      this.reason = reason;
    }

    /** What is wrong with the parameter, for the response. */
    String reason() {
      return reason;
    }
  }

  /**
   * Percent-decodes a raw path segment exactly once, as UTF-8. {@code +} stays {@code +} (that is
   * form encoding, not path encoding), and {@code %2F} becomes a {@code /} inside the value: it is
   * data of this one parameter, never a path separator, so {@code ..%2F..} is simply the text
   * {@code ../..}.
   *
   * @throws BadPathParameter for a {@code %} not followed by two hex digits, bytes that are not
   *     UTF-8, or a NUL character
   */
  static String decodePathParameter(String raw) {
    if (raw.indexOf('%') < 0 && raw.indexOf('\0') < 0) {
      return raw;
    }
    ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (low < 0) {
          throw new BadPathParameter("a path parameter has a malformed percent-escape");
        }
        bytes.put((byte) (high * 16 + low));
        i += 2;
      } else if (c < 0x100) {
        // Netty reads the request line byte by byte: a raw byte over 0x7F arrives as one char.
        bytes.put((byte) c);
      } else {
        int codePoint = raw.codePointAt(i);
        bytes.put(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(codePoint) - 1;
      }
    }
    bytes.flip();
    String decoded;
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes);
      decoded = chars.toString();
    } catch (CharacterCodingException e) {
      throw new BadPathParameter("a path parameter is not valid UTF-8");
    }
    if (decoded.indexOf('\0') >= 0) {
      throw new BadPathParameter("a path parameter contains a NUL character");
    }
    return decoded;
  }
}
