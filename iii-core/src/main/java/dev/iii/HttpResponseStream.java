package dev.iii;

import dev.iii.channel.ChannelWriter;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streams an HTTP response from a function bound to an HTTP trigger (from {@link
 * ApiRequest#stream()}). Set the status and headers first, then write the body; the engine sends
 * the status and headers when the first body bytes (or the close) arrive. The handler returns
 * {@code null}, at once or when done.
 *
 * <pre>{@code
 * iii.registerFunction("api.download", ApiRequest.class, request -> {
 *   HttpResponseStream response = request.stream()
 *       .status(200)
 *       .headers(Map.of("content-type", "text/plain"));
 *   response.write("hello ".getBytes(UTF_8));
 *   response.write("world".getBytes(UTF_8));
 *   response.close().join();
 *   return null;
 * });
 * }</pre>
 *
 * <p>Control messages travel on the response channel as text frames ({@code {"type":"set_status",
 * "status_code":N}}, {@code {"type":"set_headers","headers":{…}}}), ahead of the binary body.
 */
public final class HttpResponseStream {

  private final ChannelWriter writer;

  HttpResponseStream(ChannelWriter writer) {
    this.writer = writer;
  }

  /**
   * Sets the status (200 unless set). A failure to send surfaces on the next write or close.
   *
   * @throws IllegalArgumentException when not in 100–599
   */
  public HttpResponseStream status(int statusCode) {
    if (statusCode < 100 || statusCode > 599) {
      throw new IllegalArgumentException("HTTP status must be in 100-599: " + statusCode);
    }
    ObjectNode message = JsonNodeFactory.instance.objectNode();
    message.put("type", "set_status").put("status_code", statusCode);
    writer.sendMessage(message.toString());
    return this;
  }

  /**
   * Adds response headers (a later value for the same name wins). A failure to send surfaces on the
   * next write or close.
   */
  public HttpResponseStream headers(Map<String, String> headers) {
    ObjectNode message = JsonNodeFactory.instance.objectNode();
    message.put("type", "set_headers");
    ObjectNode values = message.putObject("headers");
    Objects.requireNonNull(headers, "headers").forEach(values::put);
    writer.sendMessage(message.toString());
    return this;
  }

  /**
   * Writes body bytes.
   *
   * @return completes when written to the channel; see {@link ChannelWriter#write(byte[])}
   */
  public CompletableFuture<Void> write(byte[] bytes) {
    return writer.write(bytes);
  }

  /** A blocking stream of the body; closing it ends the response. */
  public OutputStream outputStream() {
    return writer.outputStream();
  }

  /**
   * Ends the response.
   *
   * @return completes when the channel has closed
   */
  public CompletableFuture<Void> close() {
    return writer.close();
  }

  /** The underlying response channel. */
  public ChannelWriter writer() {
    return writer;
  }
}
