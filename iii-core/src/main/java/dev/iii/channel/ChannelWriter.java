package dev.iii.channel;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.iii.IIIException;
import dev.iii.protocol.ChannelRef;
import dev.iii.transport.WebSocket;
import dev.iii.transport.WebSocketListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * The sending end of a channel: binary chunks and text messages, delivered to the reader in the
 * order they were written.
 *
 * <p>The socket opens on the first write, message or close. A write's future completes once its
 * frames have been written to the socket, so a producer that waits for each write cannot run ahead
 * of a slow reader by more than the socket and engine buffers. Futures complete on an SDK thread,
 * never on a network thread. Serialised (e.g. in call data), a writer is its {@link #ref()}.
 *
 * <p>Concurrency: writes are queued lock-free and handed to the socket, in order and each write's
 * frames together, by whichever thread finds the hand-off idle (a work-in-progress counter, not a
 * lock: nobody waits).
 */
public final class ChannelWriter {

  private static final Logger log = LoggerFactory.getLogger(ChannelWriter.class);

  private final ChannelConnector connector;
  private final ChannelRef ref;
  private final AtomicBoolean opened = new AtomicBoolean();
  private final ConcurrentLinkedQueue<Write> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger handingOver = new AtomicInteger();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile boolean closeRequested;
  private volatile @Nullable IIIException terminated;
  private @Nullable WebSocket socket; // touched only while handing over

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
    List<byte[]> chunks = new ArrayList<>();
    for (int start = offset; start < offset + length; start += ChannelConnector.FRAME_SIZE) {
      int end = Math.min(offset + length, start + ChannelConnector.FRAME_SIZE);
      chunks.add(Arrays.copyOfRange(bytes, start, end));
    }
    if (chunks.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return enqueue(new Write(chunks, true));
  }

  /**
   * Sends a text message: the reader's {@link ChannelReader#onMessage} listeners receive it, in
   * order with the binary data. On an HTTP response channel, text messages are control messages.
   *
   * @return completes when the message has been written to the socket
   */
  public CompletableFuture<Void> sendMessage(String message) {
    byte[] text = Objects.requireNonNull(message, "message").getBytes(StandardCharsets.UTF_8);
    return enqueue(new Write(List.of(text), false));
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
    if (!closeRequested && terminated == null) {
      closeRequested = true;
      opened.set(true);
      queue.add(Write.CLOSE);
      handOver();
    }
    return closed.copy();
  }

  @Override
  public String toString() {
    return "ChannelWriter[" + ref.channelId() + "]";
  }

  private CompletableFuture<Void> enqueue(Write write) {
    IIIException failure = terminated;
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    if (closeRequested) {
      return CompletableFuture.failedFuture(
          new IIIException(
              IIIException.CHANNEL_CLOSED, "channel " + ref.channelId() + " writer is closed"));
    }
    opened.set(true);
    queue.add(write);
    handOver();
    return write.written;
  }

  /** Moves queued writes to the socket, in order, on whichever thread finds the hand-off idle. */
  private void handOver() {
    if (handingOver.getAndIncrement() != 0) {
      return;
    }
    do {
      for (Write next = queue.poll(); next != null; next = queue.poll()) {
        Write write = next;
        WebSocket open = socket;
        if (open == null) {
          open = connector.connect(ref, new Listener());
          socket = open;
        }
        if (write == Write.CLOSE) {
          open.close(1000, "");
          continue;
        }
        CompletableFuture<Void> last = null;
        for (byte[] chunk : write.chunks) {
          last = open.sendAndAwaitWrite(chunk, write.binary);
        }
        Objects.requireNonNull(last)
            .whenComplete(
                (ignored, error) ->
                    connector.onCallbackThread(
                        () -> {
                          if (error == null) {
                            write.written.complete(null);
                          } else {
                            write.written.completeExceptionally(failure(error));
                          }
                        }));
      }
    } while (handingOver.decrementAndGet() != 0);
  }

  private IIIException failure(Throwable error) {
    IIIException known = terminated;
    return known != null ? known : ChannelConnector.failure(ref, error);
  }

  /** The socket's end: clean after our close, a failure otherwise. */
  private final class Listener implements WebSocketListener {

    @Override
    public void onMessage(WebSocket socket, byte[] payload, boolean binary) {
      // The engine sends nothing on a write socket.
    }

    @Override
    public void onClosed(
        WebSocket socket, int code, @Nullable String reason, @Nullable Throwable error) {
      if (closeRequested && error == null && code != 1006) {
        connector.onCallbackThread(() -> closed.complete(null));
        return;
      }
      IIIException failure =
          error != null || closeRequested
              ? ChannelConnector.failure(ref, error)
              : new IIIException(
                  IIIException.CHANNEL_CLOSED,
                  "channel " + ref.channelId() + " was closed by the engine while writing");
      terminated = failure;
      log.debug("Channel writer {} ended: {}", ref.channelId(), failure.getMessage());
      List<Write> lost = new ArrayList<>();
      for (Write write = queue.poll(); write != null; write = queue.poll()) {
        lost.add(write);
      }
      connector.onCallbackThread(
          () -> {
            lost.forEach(write -> write.written.completeExceptionally(failure));
            closed.completeExceptionally(failure);
          });
    }
  }

  /** One write: its frames, and the future of whoever waits for it. */
  private static final class Write {

    static final Write CLOSE = new Write(List.of(), false);

    final List<byte[]> chunks;
    final boolean binary;
    final CompletableFuture<Void> written = new CompletableFuture<>();

    Write(List<byte[]> chunks, boolean binary) {
      this.chunks = chunks;
      this.binary = binary;
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
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw new IOException(cause.getMessage(), cause);
      }
    }
  }
}
