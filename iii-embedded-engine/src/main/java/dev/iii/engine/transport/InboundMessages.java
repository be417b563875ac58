package dev.iii.engine.transport;

import dev.iii.engine.registry.Worker;
import dev.iii.engine.router.MessageRouter;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.ProtocolException;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound side of one worker connection: decodes whole messages and routes them in arrival
 * order. A message of {@value #OFFLOAD_BYTES} bytes or more is decoded and routed on the engine's
 * bounded decode pool, so that it does not stall the other connections of its event loop (if the
 * pool is full it is decoded on the event loop, as before). While such a message, or a routing wait
 * (a {@code reattach} retiring the worker's previous connection), is under way, later messages are
 * held in order and reading pauses. A message that cannot be decoded goes to {@link
 * UndecodableMessages}.
 *
 * <p>Concurrency: confined to the connection's event loop, except the decode and routing of an
 * offloaded message, which runs on the decode pool while the event loop holds every later message.
 */
final class InboundMessages {

  private static final Logger log = LoggerFactory.getLogger(InboundMessages.class);

  /** Messages this large are decoded and routed on the decode pool, not on the event loop. */
  static final int OFFLOAD_BYTES = 1024 * 1024;

  /** Sees every offloaded message on the decode thread before it is decoded; tests only. */
  static volatile @Nullable Consumer<byte[]> offloadHook;

  private final MessageCodec codec = MessageCodec.instance();
  private final Worker worker;
  private final MessageRouter router;
  private final Executor decodePool;
  private final UndecodableMessages undecodable;
  private final BooleanSupplier closed;
  private @Nullable Channel channel;

  /**
   * Messages that arrived while routing waits, in order: decoded {@link Message}s, and large ones
   * still to be decoded ({@code byte[]}) (event loop only).
   */
  private final ArrayDeque<Object> held = new ArrayDeque<>();

  /** Whether routing waits for a stage before the next message (event loop only). */
  private boolean holding;

  InboundMessages(
      Worker worker,
      MessageRouter router,
      Executor decodePool,
      UndecodableMessages undecodable,
      BooleanSupplier closed) {
    this.worker = worker;
    this.router = router;
    this.decodePool = decodePool;
    this.undecodable = undecodable;
    this.closed = closed;
  }

  /** The channel whose reading pauses while messages are held. On the event loop. */
  void attach(Channel channel) {
    this.channel = channel;
  }

  /** Handles one whole message, in arrival order. On the event loop. */
  void dispatch(byte[] json) {
    if (json.length >= OFFLOAD_BYTES) {
      if (holding) {
        held.add(json);
      } else {
        offload(json);
      }
      return;
    }
    Message message = decode(json);
    if (message == null) {
      return;
    }
    if (holding) {
      held.add(message);
      return;
    }
    route(message);
  }

  /** Decodes a message; one that cannot be decoded is handled here and gives {@code null}. */
  private @Nullable Message decode(byte[] json) {
    try {
      return codec.decode(json);
    } catch (ProtocolException e) {
      if (e.isUnknownType()) {
        log.debug("{}: ignoring message: {}", worker, e.getMessage());
      } else {
        undecodable.handle(worker, json, e);
      }
      return null;
    }
  }

  /**
   * Decodes and routes a large message on the decode pool, holding later messages until it is done
   * (and until whatever its routing asks to wait for). On the event loop.
   */
  private void offload(byte[] json) {
    CompletableFuture<@Nullable CompletionStage<?>> routed;
    try {
      routed = CompletableFuture.supplyAsync(() -> decodeAndRoute(json), decodePool);
    } catch (RejectedExecutionException e) {
      // The pool is full (or shut down): decode here, as a small message would be.
      Message message = decode(json);
      if (message != null) {
        route(message);
      }
      return;
    }
    hold(routed.thenCompose(wait -> wait == null ? CompletableFuture.completedFuture(null) : wait));
  }

  /** On the decode pool. */
  private @Nullable CompletionStage<?> decodeAndRoute(byte[] json) {
    Consumer<byte[]> hook = offloadHook;
    if (hook != null) {
      hook.accept(json);
    }
    if (closed.getAsBoolean()) {
      return null;
    }
    try {
      Message message = decode(json);
      return message == null ? null : router.route(worker, message);
    } catch (RuntimeException e) {
      log.error("{}: failed to handle a message of {} bytes", worker, json.length, e);
      return null;
    }
  }

  private void route(Message message) {
    CompletionStage<?> wait = router.route(worker, message);
    if (wait != null) {
      hold(wait);
    }
  }

  /** Holds later messages, and stops reading, until {@code wait} completes. */
  private void hold(CompletionStage<?> wait) {
    holding = true;
    Channel open = channel;
    if (open == null) {
      return;
    }
    open.config().setAutoRead(false);
    wait.whenComplete(
        (ignored, error) -> {
          try {
            open.eventLoop().execute(this::release);
          } catch (RejectedExecutionException e) {
            // the event loops are shutting down: nothing will be handled any more
          }
        });
  }

  /** Routes the held messages in order, until one asks to wait again. On the event loop. */
  private void release() {
    holding = false;
    while (!holding && !closed.getAsBoolean()) {
      Object next = held.poll();
      if (next == null) {
        break;
      }
      if (next instanceof Message message) {
        route(message);
      } else {
        offload((byte[]) next);
      }
    }
    Channel open = channel;
    if (!holding && open != null) {
      open.config().setAutoRead(true);
    }
  }
}
