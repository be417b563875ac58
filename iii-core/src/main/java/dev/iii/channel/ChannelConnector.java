package dev.iii.channel;

import dev.iii.IIIException;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
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
  public static final int FRAME_SIZE = 64 * 1024;

  private final String base;
  private final ReactorNettyWebSocketClient webSocketClient;
  private final ExecutorService callbackExecutor;
  private final Scheduler callbackScheduler;

  /**
   * A connector for the engine at {@code engineAddress}.
   *
   * @param engineAddress the worker address, e.g. {@code ws://localhost:49134}; channels live on
   *     the same host and port under {@code /ws/channels/}
   * @param webSocketClient opens the sockets (its maximum frame size applies)
   * @param callbackExecutor runs every user-visible completion
   */
  public ChannelConnector(
      URI engineAddress,
      ReactorNettyWebSocketClient webSocketClient,
      ExecutorService callbackExecutor) {
    Objects.requireNonNull(engineAddress, "engineAddress");
    String path = engineAddress.getRawPath() == null ? "" : engineAddress.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    this.base = engineAddress.getScheme() + "://" + engineAddress.getRawAuthority() + path;
    this.webSocketClient = Objects.requireNonNull(webSocketClient, "webSocketClient");
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
   * values are returned as they are; containers holding a ref are copied, never changed in place.
   */
  public @Nullable Object resolveRefs(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      ChannelRef ref = ChannelRef.parse(map);
      if (ref != null) {
        return open(ref);
      }
      Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
      map.forEach((key, item) -> copy.put(key, resolveRefs(item)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      list.forEach(item -> copy.add(resolveRefs(item)));
      return copy;
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

  ReactorNettyWebSocketClient webSocketClient() {
    return webSocketClient;
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
    if (error instanceof WebSocketClientHandshakeException handshake) {
      HttpResponse response = handshake.response();
      if (response != null && response.status().code() == 404) {
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
