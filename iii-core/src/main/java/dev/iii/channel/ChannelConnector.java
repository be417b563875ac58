package dev.iii.channel;

import dev.iii.IIIException;
import dev.iii.protocol.ChannelRef;
import dev.iii.protocol.Limits;
import dev.iii.transport.WebSocket;
import dev.iii.transport.WebSocketHandshakeException;
import dev.iii.transport.WebSocketListener;
import dev.iii.transport.WebSocketRequest;
import dev.iii.transport.WebSocketTransport;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Opens channel ends on one engine. The client owns one ({@code III} builds it from its engine
 * address); most code never needs it directly, because channel refs in handler input arrive as live
 * {@link ChannelReader}s and {@link ChannelWriter}s already.
 *
 * <p>Sockets run on the WebSocket client's Netty event loops; every user-visible completion
 * (futures, {@code onMessage} listeners, {@link ChannelReader#chunks()} signals) happens on the
 * callback executor instead.
 */
public final class ChannelConnector {

  /** The iii SDKs split writes into frames of this size (the engine accepts larger ones). */
  public static final int FRAME_SIZE = Limits.CHANNEL_CHUNK_BYTES;

  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final String base;
  private final WebSocketTransport transport;
  private final ExecutorService callbackExecutor;
  private final Scheduler callbackScheduler;

  /**
   * A connector for the engine at {@code engineAddress}.
   *
   * @param engineAddress the worker address, e.g. {@code ws://localhost:49134}; channels live on
   *     the same host and port under {@code /ws/channels/}
   * @param transport opens the sockets
   * @param callbackExecutor runs every user-visible completion
   */
  public ChannelConnector(
      URI engineAddress, WebSocketTransport transport, ExecutorService callbackExecutor) {
    Objects.requireNonNull(engineAddress, "engineAddress");
    String path = engineAddress.getRawPath() == null ? "" : engineAddress.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    this.base = engineAddress.getScheme() + "://" + engineAddress.getRawAuthority() + path;
    this.transport = Objects.requireNonNull(transport, "transport");
    this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
    this.callbackScheduler = Schedulers.fromExecutorService(callbackExecutor, "iii-channel");
  }

  /** The reading end of the channel {@code ref} names; its socket opens on first read. */
  public ChannelReader reader(ChannelRef ref) {
    return new ChannelReader(this, ref.withDirection(ChannelRef.Direction.READ));
  }

  /** The writing end of the channel {@code ref} names; its socket opens on first write. */
  public ChannelWriter writer(ChannelRef ref) {
    return new ChannelWriter(this, ref.withDirection(ChannelRef.Direction.WRITE));
  }

  /**
   * The end a ref names: a {@link ChannelReader} for {@code read}, else a {@link ChannelWriter}.
   */
  public Object open(ChannelRef ref) {
    return ref.direction() == ChannelRef.Direction.READ ? reader(ref) : writer(ref);
  }

  /**
   * Replaces every channel ref (a map shaped {@code {channel_id, access_key, direction}}) found at
   * any depth of maps and lists with a live {@link ChannelReader} or {@link ChannelWriter}. Other
   * values are returned as they are; containers holding a ref are copied, never changed in place,
   * and those without one are returned as they are.
   */
  public @Nullable Object resolveRefs(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      ChannelRef ref = ChannelRef.parse(map);
      if (ref != null) {
        return open(ref);
      }
      Map<Object, @Nullable Object> copy = null;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        Object item = entry.getValue();
        Object resolved = resolveRefs(item);
        if (resolved != item && copy == null) {
          copy = new LinkedHashMap<>(map);
        }
        if (copy != null) {
          copy.put(entry.getKey(), resolved);
        }
      }
      return copy != null ? copy : map;
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = null;
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        Object resolved = resolveRefs(item);
        if (resolved != item && copy == null) {
          copy = new ArrayList<>(list);
        }
        if (copy != null) {
          copy.set(i, resolved);
        }
      }
      return copy != null ? copy : list;
    }
    return value;
  }

  /**
   * A Jackson module that reads {@link ChannelReader} and {@link ChannelWriter} fields from refs,
   * for typed handler input. (Writing needs no module: both ends serialise as their ref.)
   */
  public JacksonModule jacksonModule() {
    SimpleModule module = new SimpleModule("iii-channels");
    module.addDeserializer(
        ChannelReader.class,
        new ValueDeserializer<>() {
          @Override
          public ChannelReader deserialize(JsonParser parser, DeserializationContext context) {
            return reader(context.readValue(parser, ChannelRef.class));
          }
        });
    module.addDeserializer(
        ChannelWriter.class,
        new ValueDeserializer<>() {
          @Override
          public ChannelWriter deserialize(JsonParser parser, DeserializationContext context) {
            return writer(context.readValue(parser, ChannelRef.class));
          }
        });
    return module;
  }

  // ---------------------------------------------------------------------------------------------
  // For the channel ends

  /** Opens the socket of one channel end. */
  WebSocket connect(ChannelRef ref, WebSocketListener listener) {
    return transport.connect(
        new WebSocketRequest(uri(ref), Map.of(), Limits.MAX_MESSAGE_BYTES, HANDSHAKE_TIMEOUT),
        listener);
  }

  Scheduler callbackScheduler() {
    return callbackScheduler;
  }

  /** {@code <base>/ws/channels/<id>?key=<key>&dir=<read|write>}, as every iii SDK builds it. */
  URI uri(ChannelRef ref) {
    return URI.create(
        base
            + "/ws/channels/"
            + ref.channelId()
            + "?key="
            + URLEncoder.encode(ref.accessKey(), StandardCharsets.UTF_8)
            + "&dir="
            + ref.direction().wireName());
  }

  /** Runs a user-visible completion on the callback executor, never on an event loop. */
  void onCallbackThread(Runnable completion) {
    try {
      callbackExecutor.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run(); // the client has shut down; completing here beats never completing
    }
  }

  /** The error a channel's stream or futures fail with, for a socket failure. */
  static IIIException failure(ChannelRef ref, @Nullable Throwable error) {
    if (error instanceof IIIException iii) {
      return iii;
    }
    if (error instanceof WebSocketHandshakeException handshake) {
      if (handshake.status() == 404) {
        return new IIIException(
            IIIException.CHANNEL_NOT_FOUND,
            "channel " + ref.channelId() + " not found (unknown channel or wrong access key)",
            null,
            null,
            error);
      }
    }
    String reason = error == null ? "closed without a close frame" : String.valueOf(error);
    return new IIIException(
        IIIException.CHANNEL_CLOSED,
        "channel " + ref.channelId() + " (" + ref.direction().wireName() + ") closed: " + reason,
        null,
        null,
        error);
  }
}
