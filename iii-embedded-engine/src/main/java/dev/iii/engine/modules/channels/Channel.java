package dev.iii.engine.modules.channels;

import dev.iii.protocol.ChannelRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * A bounded, ordered queue of {@link ChannelItem}s between one writer and one reader. Either end
 * may be taken first, and each end only once. The buffer holds at most {@link #bufferSize()} items;
 * a writer waits while it is full.
 *
 * <p>Thread-safe: the two ends may be used from different threads (e.g. two Netty event loops). One
 * lock guards the state; items are handed to the reader outside of it, one drain loop at a time, so
 * the reader sees every item exactly once and in write order.
 */
public final class Channel {

  private enum ReaderState {
    /** Not subscribed yet; items wait in the buffer. */
    IDLE,
    /** {@code onSubscribe} is running; nothing is emitted until it returns. */
    SUBSCRIBING,
    ACTIVE,
    /** Completed after the writer closed and the buffer drained. */
    DONE,
    /** Cancelled by the subscriber, or released without ever being taken: writes fail. */
    GONE
  }

  private final String id;
  private final ChannelKeys keys;
  private final int bufferSize;
  private final long createdAtMs;
  private final @Nullable Consumer<Channel> onFinished;
  private final WriterEnd writerEnd = new WriterEnd();
  private final ReaderEnd readerEnd = new ReaderEnd();

  /** Serializes the drain loop: only the thread that raised it from 0 emits. */
  private final AtomicInteger wip = new AtomicInteger();

  private final Object lock = new Object();
  // ---- guarded by lock
  private final ArrayDeque<ChannelItem> buffer;

  /** Writes waiting for room, in call order; non-empty only while the buffer is full. */
  private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();

  private boolean writerTaken;
  private boolean readerTaken;
  private boolean writerClosed;
  private ReaderState readerState = ReaderState.IDLE;
  private @Nullable CoreSubscriber<? super ChannelItem> subscriber;
  private long requested;
  private boolean finished;

  // ----

  Channel(String id, ChannelKeys keys, int bufferSize) {
    this(id, keys, bufferSize, System.currentTimeMillis(), null);
  }

  /**
   * @param onFinished called once, when the writer has closed and the reader has completed or gone
   */
  Channel(
      String id,
      ChannelKeys keys,
      int bufferSize,
      long createdAtMs,
      @Nullable Consumer<Channel> onFinished) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be at least 1: " + bufferSize);
    }
    this.id = id;
    this.keys = keys;
    this.bufferSize = bufferSize;
    this.createdAtMs = createdAtMs;
    this.onFinished = onFinished;
    this.buffer = new ArrayDeque<>(Math.min(bufferSize, 64));
  }

  public String id() {
    return id;
  }

  /** The key that opens one end (each end has its own). */
  public String accessKey(ChannelRef.Direction direction) {
    return keys.of(direction);
  }

  /** A ref to one end, to hand to a worker: the channel id and that end's own key. */
  public ChannelRef ref(ChannelRef.Direction direction) {
    return new ChannelRef(id, keys.of(direction), direction);
  }

  /** Capacity of the buffer, in items. */
  public int bufferSize() {
    return bufferSize;
  }

  public long createdAtMs() {
    return createdAtMs;
  }

  /** Takes the writing end; empty when it was taken before. */
  public Optional<ChannelWriterEnd> takeWriter() {
    synchronized (lock) {
      if (writerTaken) {
        return Optional.empty();
      }
      writerTaken = true;
    }
    return Optional.of(writerEnd);
  }

  /** Takes the reading end; empty when it was taken before. */
  public Optional<ChannelReaderEnd> takeReader() {
    synchronized (lock) {
      if (readerTaken) {
        return Optional.empty();
      }
      readerTaken = true;
    }
    return Optional.of(readerEnd);
  }

  @Override
  public String toString() {
    return "Channel[" + id + "]";
  }

  // ------------------------------------------------------------------ package-private

  /** Whether at least one end was never taken. */
  boolean hasUntakenEnd() {
    synchronized (lock) {
      return !writerTaken || !readerTaken;
    }
  }

  /**
   * Releases the ends nobody took, as the official engine does when it drops a channel from its
   * map: a writer never taken counts as closed (the reader gets end-of-stream after the buffer), a
   * reader never taken counts as gone (writes fail). Ends already taken keep working.
   */
  void releaseUntakenEnds() {
    boolean closeWriter;
    boolean dropReader;
    synchronized (lock) {
      closeWriter = !writerTaken;
      dropReader = !readerTaken;
      writerTaken = true;
      readerTaken = true;
    }
    if (dropReader) {
      readerGone();
    }
    if (closeWriter) {
      closeWriter();
    }
  }

  /** Cancels the reader if it is still reading (e.g. its WebSocket went away). Idempotent. */
  void cancelReader() {
    readerGone();
  }

  // ------------------------------------------------------------------ writer side

  private Mono<Void> write(ChannelItem item) {
    Objects.requireNonNull(item, "item");
    PendingWrite waiting = null;
    synchronized (lock) {
      if (writerClosed) {
        return Mono.error(new IllegalStateException(this + ": the writer is closed"));
      }
      if (readerState == ReaderState.GONE) {
        return Mono.error(readerGoneError());
      }
      if (pending.isEmpty() && buffer.size() < bufferSize) {
        buffer.addLast(item);
      } else {
        waiting = new PendingWrite(item);
        pending.addLast(waiting);
      }
    }
    drain();
    return waiting == null ? Mono.empty() : waiting.done.asMono();
  }

  private void closeWriter() {
    synchronized (lock) {
      if (writerClosed) {
        return;
      }
      writerClosed = true;
    }
    drain();
    checkFinished();
  }

  private IllegalStateException readerGoneError() {
    return new IllegalStateException(this + ": the reader has gone");
  }

  // ------------------------------------------------------------------ reader side

  private void subscribe(CoreSubscriber<? super ChannelItem> actual) {
    ReaderState before;
    synchronized (lock) {
      before = readerState;
      if (before == ReaderState.IDLE) {
        readerState = ReaderState.SUBSCRIBING;
        subscriber = actual;
      }
    }
    if (before != ReaderState.IDLE) {
      Operators.error(
          actual,
          before == ReaderState.GONE
              ? readerGoneError()
              : new IllegalStateException(this + ": the reader can be subscribed only once"));
      return;
    }
    actual.onSubscribe(new ReaderSubscription());
    synchronized (lock) {
      if (readerState == ReaderState.SUBSCRIBING) {
        readerState = ReaderState.ACTIVE;
      }
    }
    drain();
  }

  private void request(long n) {
    if (!Operators.validate(n)) {
      return;
    }
    synchronized (lock) {
      requested = Operators.addCap(requested, n);
    }
    drain();
  }

  /** The reader cancelled or was dropped: drop the buffer, fail every waiting and later write. */
  private void readerGone() {
    List<PendingWrite> failed;
    synchronized (lock) {
      if (readerState == ReaderState.GONE || readerState == ReaderState.DONE) {
        return;
      }
      readerState = ReaderState.GONE;
      subscriber = null;
      buffer.clear();
      failed = new ArrayList<>(pending);
      pending.clear();
    }
    for (PendingWrite write : failed) {
      write.done.tryEmitError(readerGoneError());
    }
    checkFinished();
  }

  /**
   * Hands buffered items to the reader while it has demand, moves waiting writes into the freed
   * room, and completes the reader once the writer has closed and nothing is left.
   */
  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    while (true) {
      while (true) {
        CoreSubscriber<? super ChannelItem> target;
        ChannelItem next = null;
        PendingWrite accepted = null;
        boolean complete = false;
        synchronized (lock) {
          target = subscriber;
          if (readerState != ReaderState.ACTIVE || target == null) {
            break;
          }
          if (requested > 0 && !buffer.isEmpty()) {
            next = buffer.pollFirst();
            if (requested != Long.MAX_VALUE) {
              requested--;
            }
            accepted = pending.pollFirst();
            if (accepted != null) {
              buffer.addLast(accepted.item);
            }
          } else if (buffer.isEmpty() && writerClosed) {
            readerState = ReaderState.DONE;
            subscriber = null;
            complete = true;
          } else {
            break;
          }
        }
        if (accepted != null) {
          accepted.done.tryEmitEmpty();
        }
        if (complete) {
          target.onComplete();
          checkFinished();
          break;
        }
        target.onNext(Objects.requireNonNull(next));
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void checkFinished() {
    synchronized (lock) {
      if (finished
          || !writerClosed
          || (readerState != ReaderState.DONE && readerState != ReaderState.GONE)) {
        return;
      }
      finished = true;
    }
    if (onFinished != null) {
      onFinished.accept(this);
    }
  }

  // ------------------------------------------------------------------ types

  private static final class PendingWrite {
    final ChannelItem item;
    final Sinks.One<Void> done = Sinks.one();

    PendingWrite(ChannelItem item) {
      this.item = item;
    }
  }

  private final class WriterEnd implements ChannelWriterEnd {

    @Override
    public Mono<Void> write(ChannelItem item) {
      return Channel.this.write(item);
    }

    @Override
    public void close() {
      closeWriter();
    }

    @Override
    public String toString() {
      return Channel.this + " writer";
    }
  }

  private final class ReaderEnd implements ChannelReaderEnd {

    private final Flux<ChannelItem> items =
        new Flux<>() {
          @Override
          public void subscribe(CoreSubscriber<? super ChannelItem> actual) {
            Channel.this.subscribe(actual);
          }
        };

    @Override
    public Flux<ChannelItem> items() {
      return items;
    }

    @Override
    public String toString() {
      return Channel.this + " reader";
    }
  }

  private final class ReaderSubscription implements Subscription {

    @Override
    public void request(long n) {
      Channel.this.request(n);
    }

    @Override
    public void cancel() {
      readerGone();
    }
  }
}
