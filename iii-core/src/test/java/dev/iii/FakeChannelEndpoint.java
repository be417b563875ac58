package dev.iii;

import dev.iii.protocol.ChannelRef;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * A stand-in for the engine's channel endpoint ({@code /ws/channels/<id>?key=&dir=}): what the
 * write end sends is recorded and replayed, in order, to the read end, which then gets a Close.
 */
final class FakeChannelEndpoint implements AutoCloseable {

  private final Map<String, Pipe> pipes = new ConcurrentHashMap<>();
  private final DisposableServer server;

  FakeChannelEndpoint() {
    WebsocketServerSpec spec =
        WebsocketServerSpec.builder().maxFramePayloadLength(FakeEngine.MAX_FRAME_PAYLOAD).build();
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                routes ->
                    routes.get(
                        "/ws/channels/{id}",
                        (request, response) -> {
                          Pipe pipe = pipes.get(request.param("id"));
                          Map<String, List<String>> query =
                              new QueryStringDecoder(request.uri()).parameters();
                          String key = query.getOrDefault("key", List.of("")).get(0);
                          String dir = query.getOrDefault("dir", List.of("")).get(0);
                          if (pipe == null || !pipe.key.equals(key)) {
                            return response
                                .status(HttpResponseStatus.NOT_FOUND)
                                .sendString(Mono.just("Channel not found"));
                          }
                          return response.sendWebsocket(
                              (in, out) -> {
                                in.withConnection(c -> pipe.sockets.add(c.channel()));
                                if (dir.equals("write")) {
                                  return in.aggregateFrames(FakeEngine.MAX_FRAME_PAYLOAD)
                                      .receiveFrames()
                                      .doOnNext(pipe::record)
                                      .doOnComplete(pipe.items::tryEmitComplete)
                                      .then();
                                }
                                return out.sendObject(pipe.items.asFlux().map(Pipe::toFrame))
                                    .then()
                                    .then(out.sendClose());
                              },
                              spec);
                        }))
            .bindNow();
  }

  /** The engine address a {@link dev.iii.channel.ChannelConnector} would be given. */
  URI address() {
    return URI.create("ws://127.0.0.1:" + server.port());
  }

  /** A new channel; returns its write ref. */
  ChannelRef create() {
    String id = UUID.randomUUID().toString();
    String key = UUID.randomUUID().toString();
    pipes.put(id, new Pipe(key));
    return new ChannelRef(id, key, ChannelRef.Direction.WRITE);
  }

  /** What the writer of a channel sent so far: {@code byte[]} and {@code String} items. */
  List<Object> received(ChannelRef ref) {
    return List.copyOf(pipes.get(ref.channelId()).received);
  }

  /** Queues an item for the channel's reader without a writer. */
  void push(ChannelRef ref, Object item) {
    pipes.get(ref.channelId()).add(item);
  }

  /** Closes every socket of the channel at once, without a WebSocket close. */
  void drop(ChannelRef ref) {
    pipes.get(ref.channelId()).sockets.forEach(Channel::close);
  }

  /** How many sockets of the channel have been accepted. */
  int sockets(ChannelRef ref) {
    return pipes.get(ref.channelId()).sockets.size();
  }

  @Override
  public void close() {
    server.disposeNow();
  }

  private static final class Pipe {

    final String key;
    final Sinks.Many<Object> items = Sinks.many().replay().all();
    final List<Object> received = new CopyOnWriteArrayList<>();
    final List<Channel> sockets = new CopyOnWriteArrayList<>();

    Pipe(String key) {
      this.key = key;
    }

    void record(WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame text) {
        add(text.text());
      } else if (frame instanceof BinaryWebSocketFrame binary) {
        add(ByteBufUtil.getBytes(binary.content()));
      }
    }

    synchronized void add(Object item) {
      received.add(item);
      items.tryEmitNext(item);
    }

    static WebSocketFrame toFrame(Object item) {
      return item instanceof String text
          ? new TextWebSocketFrame(text)
          : new BinaryWebSocketFrame(Unpooled.wrappedBuffer((byte[]) item));
    }
  }
}
