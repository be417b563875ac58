package dev.iii.channel;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.iii.IIIException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The sending end of a channel: binary chunks and text messages, delivered to the reader in the
 * order they were written.
 *
 * <p>The socket opens on the first write, message or close. A write's future completes once its
 * frames have been written to the socket, so a producer that waits for each write cannot run ahead
 * of a slow reader by more than the socket and engine buffers. Futures complete on an SDK thread,
 * never on a network thread. Serialised (e.g. in call data), a writer is its {@link #ref()}.
 */
public final class ChannelWriter {

  private static final Logger log = LoggerFactory.getLogger(ChannelWriter.class);

  private final ChannelConnector connector;
  private final ChannelRef ref;
  private final AtomicBoolean opened = new AtomicBoolean();
  private final Sinks.Many<Frame> frames = Sinks.many().unicast().onBackpressureBuffer();
  private final ConcurrentLinkedQueue<Frame> unsent = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  /** Guards {@link #frames} emission and the end state, so frames keep their order. */
  private final Object lock = new Object();

  private boolean closeRequested;
  private @Nullable IIIException terminated;
  private volatile boolean closing;

  ChannelWriter(ChannelConnector connector, ChannelRef ref) {
    this.connector = connector;
    this.ref = ref;
  }

  /**
   * Whether this end has been used: its socket opens on the first write, message or close. (A
   * worker uses this to tell a handler that streamed its HTTP response from one that did not.)
   */
  public boolean isOpened() {
    return opened.get();
  }

  /** The ref that opens this end (direction {@code write}); what this writer serialises as. */
  @JsonValue
  public ChannelRef ref() {
    return ref;
  }

  /**
   * Sends bytes as binary frames of at most {@value ChannelConnector#FRAME_SIZE} bytes. The bytes
   * are copied, so the array may be reused at once.
   *
   * @return completes when the last frame has been written to the socket; fails with code {@code
   *     channel_not_found} or {@code channel_closed}
   */
  public CompletableFuture<Void> write(byte[] bytes) {
    return write(bytes, 0, bytes.length);
  }

  /**
   * Sends {@code length} bytes of {@code bytes} from {@code offset}; see {@link #write(byte[])}.
   */
  public CompletableFuture<Void> write(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    List<Frame> chunks = new ArrayList<>();
    for (int start = offset; start < offset + length; start += ChannelConnector.FRAME_SIZE) {
      int end = Math.min(offset + length, start + ChannelConnector.FRAME_SIZE);
      chunks.add(new Frame(Arrays.copyOfRange(bytes, start, end)));
    }
    if (chunks.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return enqueue(chunks);
  }

  /**
   * Sends a text message: the reader's {@link ChannelReader#onMessage} listeners receive it, in
   * order with the binary data. On an HTTP response channel, text messages are control messages.
   *
   * @return completes when the message has been written to the socket
   */
  public CompletableFuture<Void> sendMessage(String message) {
    return enqueue(List.of(new Frame(Objects.requireNonNull(message, "message"))));
  }

  /**
   * A blocking stream over this writer, for code that writes to {@link OutputStream}s. Bytes are
   * buffered into frames of {@value ChannelConnector#FRAME_SIZE}; {@code flush()} sends what is
   * buffered and waits until it is written; {@code close()} flushes and closes the channel. Its
   * methods block, so they must not be called on a Netty event loop (they throw {@link
   * IllegalStateException} there).
   */
  public OutputStream outputStream() {
    return new WriterOutputStream();
  }

  /**
   * Ends the stream: frames already written are delivered, then the socket closes normally (code
   * 1000) and the reader sees the end of the data. Idempotent.
   *
   * @return completes when the socket has closed
   */
  public CompletableFuture<Void> close() {
    synchronized (lock) {
      if (!closeRequested && terminated == null) {
        closeRequested = true;
        open();
        frames.tryEmitComplete();
      }
    }
    return closed.copy();
  }

  @Override
  public String toString() {
    return "ChannelWriter[" + ref.channelId() + "]";
  }

  private CompletableFuture<Void> enqueue(List<Frame> batch) {
    synchronized (lock) {
      if (terminated != null) {
        return CompletableFuture.failedFuture(terminated);
      }
      if (closeRequested) {
        return CompletableFuture.failedFuture(
            new IIIException(
                IIIException.CHANNEL_CLOSED, "channel " + ref.channelId() + " writer is closed"));
      }
      open();
      for (Frame frame : batch) {
        unsent.add(frame);
        frames.tryEmitNext(frame);
      }
    }
    return batch.get(batch.size() - 1).written;
  }

  /** Opens the socket once. Called with the lock held. */
  private void open() {
    if (!opened.compareAndSet(false, true)) {
      return;
    }
    connector
        .webSocketClient()
        .execute(connector.uri(ref), this::run)
        .subscribe(ignored -> {}, this::onTerminated, () -> onTerminated(null));
  }

  private Mono<Void> run(WebSocketSession ws) {
    // One frame at a time, each waiting for its write: that is what makes a write's future mean
    // "written", and lets TCP backpressure reach the producer.
    Mono<Void> outbound =
        frames
            .asFlux()
            .concatMap(frame -> ws.send(Mono.just(frame.toMessage(ws))).doOnSuccess(v -> sent()))
            .then(
                Mono.defer(
                    () -> {
                      closing = true;
                      return ws.close(CloseStatus.NORMAL);
                    }));
    // The engine sends nothing on a write socket: it ending before we close means it went away.
    Mono<Void> inbound =
        ws.receive()
            .then(
                Mono.defer(
                    () ->
                        closing
                            ? Mono.empty()
                            : Mono.error(
                                new IIIException(
                                    IIIException.CHANNEL_CLOSED,
                                    "channel "
                                        + ref.channelId()
                                        + " was closed by the engine while writing"))));
    return Mono.when(outbound, inbound);
  }

  private void sent() {
    Frame frame = unsent.poll();
    if (frame != null) {
      connector.onCallbackThread(() -> frame.written.complete(null));
    }
  }

  private void onTerminated(@Nullable Throwable error) {
    IIIException failure;
    synchronized (lock) {
      failure = ChannelConnector.failure(ref, error);
      terminated = failure;
    }
    List<Frame> lost = new ArrayList<>();
    for (Frame frame = unsent.poll(); frame != null; frame = unsent.poll()) {
      lost.add(frame);
    }
    if (error == null && lost.isEmpty()) {
      connector.onCallbackThread(() -> closed.complete(null));
      return;
    }
    log.debug("Channel writer {} ended: {}", ref.channelId(), failure.getMessage());
    connector.onCallbackThread(
        () -> {
          lost.forEach(frame -> frame.written.completeExceptionally(failure));
          closed.completeExceptionally(failure);
        });
  }

  /** One WebSocket frame to send, and the future of whoever waits for it. */
  private static final class Frame {

    final byte @Nullable [] bytes;
    final @Nullable String text;
    final CompletableFuture<Void> written = new CompletableFuture<>();

    Frame(byte[] bytes) {
      this.bytes = bytes;
      this.text = null;
    }

    Frame(String text) {
      this.bytes = null;
      this.text = text;
    }

    WebSocketMessage toMessage(WebSocketSession ws) {
      byte[] payload = bytes;
      return payload != null
          ? ws.binaryMessage(factory -> factory.wrap(payload))
          : ws.textMessage(Objects.requireNonNull(text));
    }
  }

  /** {@link #outputStream()}: buffers into frames and blocks on each send. */
  private final class WriterOutputStream extends OutputStream {

    private final byte[] buffer = new byte[ChannelConnector.FRAME_SIZE];
    private int count;
    private boolean streamClosed;

    @Override
    public synchronized void write(int b) throws IOException {
      ensureOpen();
      if (count == buffer.length) {
        send();
      }
      buffer[count++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, bytes.length);
      ensureOpen();
      while (length > 0) {
        if (count == buffer.length) {
          send();
        }
        int n = Math.min(length, buffer.length - count);
        System.arraycopy(bytes, offset, buffer, count, n);
        count += n;
        offset += n;
        length -= n;
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      ensureOpen();
      send();
    }

    @Override
    public synchronized void close() throws IOException {
      if (streamClosed) {
        return;
      }
      send();
      streamClosed = true;
      await(ChannelWriter.this.close());
    }

    private void ensureOpen() throws IOException {
      if (streamClosed) {
        throw new IOException("stream closed");
      }
    }

    private void send() throws IOException {
      if (count > 0) {
        CompletableFuture<Void> written = ChannelWriter.this.write(buffer, 0, count);
        count = 0;
        await(written);
      }
    }

    private void await(CompletableFuture<Void> future) throws IOException {
      if (Schedulers.isInNonBlockingThread()) {
        throw new IllegalStateException(
            "blocking channel stream used on a non-blocking thread ("
                + Thread.currentThread().getName()
                + ")");
      }
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while writing to channel " + ref.channelId(), e);
      } catch (ExecutionException e) {
        throw new IOException(e.getCause().getMessage(), e.getCause());
      }
    }
  }
}
