package dev.iii.channel;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.iii.IIIException;
import dev.iii.protocol.ChannelRef;
import dev.iii.transport.WebSocket;
import dev.iii.transport.WebSocketListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * The receiving end of a channel: binary data as bytes, text messages through {@link
 * #onMessage(Consumer)}.
 *
 * <p>Consume the data once, one way: {@link #readAll()}, {@link #inputStream()} or {@link
 * #chunks()}. The socket opens then, and the data ends when the writer closes (the engine then
 * closes this socket). Demand propagates to the socket: a slow consumer stops the socket being
 * read, which in turn holds up the writer. Every signal reaches user code on an SDK thread, never
 * on a network thread. Serialised (e.g. in call data), a reader is its {@link #ref()}.
 */
public final class ChannelReader {

  private static final Logger log = LoggerFactory.getLogger(ChannelReader.class);

  /** Frames taken ahead of the consumer; small, so backpressure reaches the socket quickly. */
  private static final int PREFETCH = 4;

  private final ChannelConnector connector;
  private final ChannelRef ref;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean consumed = new AtomicBoolean();
  private volatile boolean closed;
  private volatile @Nullable WebSocket socket;

  ChannelReader(ChannelConnector connector, ChannelRef ref) {
    this.connector = connector;
    this.ref = ref;
  }

  /** The ref that opens this end (direction {@code read}); what this reader serialises as. */
  @JsonValue
  public ChannelRef ref() {
    return ref;
  }

  /**
   * Receives every text message, in order with the binary data: a message sent between two writes
   * is delivered after the first chunk and before the second. Listeners run on an SDK thread while
   * the data is being consumed, so register them before consuming.
   *
   * @return this reader
   */
  public ChannelReader onMessage(Consumer<String> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Reads every byte until the writer closes.
   *
   * @return the bytes; fails with code {@code channel_not_found} or {@code channel_closed}
   */
  public CompletableFuture<byte[]> readAll() {
    return chunks()
        .collect(ByteArrayOutputStream::new, (out, chunk) -> out.write(chunk, 0, chunk.length))
        .map(ByteArrayOutputStream::toByteArray)
        .toFuture();
  }

  /**
   * The binary frames as they arrive, each once. Subscribing opens the socket; only one
   * subscription (or other way of reading) is allowed. Signals arrive on an SDK thread; the stream
   * completes when the writer closes and fails with an {@link IIIException} of code {@code
   * channel_not_found} or {@code channel_closed}.
   */
  public Flux<byte[]> chunks() {
    return frames()
        .publishOn(connector.callbackScheduler(), PREFETCH)
        .handle(
            (frame, sink) -> {
              if (frame instanceof byte[] bytes) {
                sink.next(bytes);
              } else {
                deliver((String) frame);
              }
            });
  }

  /**
   * A blocking stream of the binary data, at end of stream once the writer has closed. Reads throw
   * an {@link IOException} whose cause is the channel's {@link IIIException}. Closing it closes the
   * reader. It blocks, so it must not be read on a Netty event loop (that throws {@link
   * IllegalStateException}).
   */
  public InputStream inputStream() {
    ChunkInputStream stream = new ChunkInputStream();
    chunks().subscribe(stream);
    return stream;
  }

  /**
   * Stops reading: the socket closes (normally), and a stream being read ends as if the writer had
   * closed. Idempotent.
   */
  public void close() {
    closed = true;
    WebSocket open = socket;
    if (open != null) {
      open.close(1000, "");
    }
  }

  @Override
  public String toString() {
    return "ChannelReader[" + ref.channelId() + "]";
  }

  private void deliver(String message) {
    if (listeners.isEmpty()) {
      log.debug("Channel {}: text message without onMessage listener dropped", ref.channelId());
    }
    for (Consumer<String> listener : listeners) {
      try {
        listener.accept(message);
      } catch (RuntimeException e) {
        log.warn("Channel {} message listener failed", ref.channelId(), e);
      }
    }
  }

  /**
   * The socket's frames ({@code byte[]} for binary, {@code String} for text), on the I/O thread.
   * The socket is read only while there is demand, so a slow consumer holds up the writer.
   */
  private Flux<Object> frames() {
    return Flux.defer(
        () -> {
          if (!consumed.compareAndSet(false, true)) {
            return Flux.error(
                new IllegalStateException(
                    "channel " + ref.channelId() + " reader is already being read"));
          }
          if (closed) {
            return Flux.empty();
          }
          return Flux.create(this::stream, FluxSink.OverflowStrategy.BUFFER);
        });
  }

  private void stream(FluxSink<Object> sink) {
    FrameListener listener = new FrameListener(sink);
    WebSocket opened = connector.connect(ref, listener);
    socket = opened;
    sink.onRequest(listener::request);
    sink.onCancel(() -> opened.close(1000, ""));
    if (closed) {
      opened.close(1000, "");
    }
  }

  /**
   * Feeds one socket's frames into the stream, reading while there is demand. A Close frame (the
   * engine's at the end of the data, or ours from {@link #close()}) is a clean end; a socket that
   * just stopped is not.
   */
  private final class FrameListener implements WebSocketListener {

    private final FluxSink<Object> sink;
    private final AtomicLong demand = new AtomicLong();
    private volatile @Nullable WebSocket open;

    FrameListener(FluxSink<Object> sink) {
      this.sink = sink;
    }

    void request(long n) {
      long after = demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      WebSocket current = open;
      if (current != null && after > 0) {
        current.setReading(true);
      }
    }

    /**
     * Stops reading when the demand is used up. Demand added meanwhile on another thread turns
     * reading back on: whichever of the two calls comes last, the socket ends up reading if there
     * is demand.
     */
    private void pauseIfSated(WebSocket socket) {
      if (demand.get() <= 0) {
        socket.setReading(false);
        if (demand.get() > 0) {
          socket.setReading(true);
        }
      }
    }

    @Override
    public void onOpen(WebSocket socket) {
      open = socket;
      pauseIfSated(socket);
    }

    @Override
    public void onMessage(WebSocket socket, byte[] payload, boolean binary) {
      demand.decrementAndGet();
      sink.next(binary ? payload : new String(payload, StandardCharsets.UTF_8));
      pauseIfSated(socket);
    }

    @Override
    public void onClosed(
        WebSocket socket, int code, @Nullable String reason, @Nullable Throwable failure) {
      if (closed || (failure == null && code != 1006)) {
        sink.complete();
      } else {
        sink.error(ChannelConnector.failure(ref, failure));
      }
    }
  }

  /** {@link #inputStream()}: a queue of chunks fed by a subscriber that requests as it reads. */
  private final class ChunkInputStream extends InputStream implements CoreSubscriber<byte[]> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile @Nullable Subscription subscription;
    private byte @Nullable [] current;
    private int position;
    private @Nullable IOException failure;
    private boolean ended;

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(PREFETCH);
    }

    @Override
    public void onNext(byte[] chunk) {
      queue.add(chunk);
    }

    @Override
    public void onError(Throwable error) {
      queue.add(error);
    }

    @Override
    public void onComplete() {
      queue.add(END);
    }

    @Override
    public synchronized int read() throws IOException {
      byte[] chunk = chunk();
      return chunk == null ? -1 : chunk[position++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] into, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, into.length);
      if (length == 0) {
        return 0;
      }
      byte[] chunk = chunk();
      if (chunk == null) {
        return -1;
      }
      int n = Math.min(length, chunk.length - position);
      System.arraycopy(chunk, position, into, offset, n);
      position += n;
      return n;
    }

    @Override
    public synchronized int available() {
      byte[] chunk = current;
      return chunk == null ? 0 : chunk.length - position;
    }

    @Override
    public void close() {
      Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      ChannelReader.this.close();
      queue.add(END); // wakes a reader blocked in take(), which holds this stream's monitor
      synchronized (this) {
        ended = true;
        current = null;
      }
    }

    /** The chunk with unread bytes, taking (and waiting for) the next when needed. */
    private byte @Nullable [] chunk() throws IOException {
      while (current == null || position == current.length) {
        if (failure != null) {
          throw failure;
        }
        if (ended) {
          return null;
        }
        if (current != null) {
          current = null;
          Objects.requireNonNull(subscription).request(1);
        }
        Object next = take();
        if (next == END) {
          ended = true;
        } else if (next instanceof Throwable error) {
          failure = new IOException(error.getMessage(), error);
        } else {
          current = (byte[]) next;
          position = 0;
        }
      }
      return current;
    }

    private Object take() throws IOException {
      if (Schedulers.isInNonBlockingThread()) {
        throw new IllegalStateException(
            "blocking channel stream read on a non-blocking thread ("
                + Thread.currentThread().getName()
                + ")");
      }
      try {
        return queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading channel " + ref.channelId());
      }
    }
  }
}
