package dev.iii.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.engine.EmbeddedEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A large worker message is decoded and routed off the event loop, so it cannot stall the other
 * connections of its loop, and the connection's later messages still follow it in order. The test
 * holds the large message on its decode thread until every other connection has been served: were
 * it decoded on the event loop, the connections sharing that loop would wait with it.
 */
class LargeMessageOffloadTest {

  private EmbeddedEngine engine;
  private final List<WsSocket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    InboundMessages.offloadHook = null;
    for (WsSocket socket : sockets) {
      socket.close();
    }
    engine.close();
  }

  private WsSocket connect() throws Exception {
    WsSocket socket = WsSocket.connect(engine.port(), "/");
    sockets.add(socket);
    socket.readTextContaining("workerregistered");
    return socket;
  }

  private static String invoke(String id, String functionId, String data) {
    return "{\"type\":\"invokefunction\",\"invocation_id\":\""
        + id
        + "\",\"function_id\":\""
        + functionId
        + "\",\"data\":"
        + data
        + "}";
  }

  @Test
  void aLargeMessageIsHandledOffTheEventLoopWhileOtherConnectionsAreServed() throws Exception {
    WsSocket handler = connect();
    handler.sendText("{\"type\":\"registerfunction\",\"id\":\"big::f\"}");
    handler.sendText("{\"type\":\"ping\"}");
    handler.readTextContaining("pong");
    WsSocket caller = connect();

    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> decodeThread = new AtomicReference<>();
    InboundMessages.offloadHook =
        json -> {
          decodeThread.set(Thread.currentThread());
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    String large = UUID.randomUUID().toString();
    String small = UUID.randomUUID().toString();
    caller.sendText(
        invoke(large, "big::f", "\"" + "x".repeat(InboundMessages.OFFLOAD_BYTES) + "\""));
    caller.sendText(invoke(small, "big::f", "{}"));

    assertThat(entered.await(20, TimeUnit.SECONDS)).as("large message offloaded").isTrue();
    assertThat(decodeThread.get().getName()).startsWith("iii-engine-decode-");

    // More connections than there are event loops: some share the large message's loop. Each is
    // served while the large message is still held on its decode thread.
    for (int i = 0; i < 10; i++) {
      WsSocket other = connect();
      other.sendText("{\"type\":\"ping\"}");
      assertThat(other.readTextContaining("pong")).contains("pong");
    }
    assertThat(release.getCount()).isEqualTo(1); // still held

    release.countDown();
    // The caller's later message waited for the large one: the handler sees them in order.
    assertThat(handler.readTextContaining("invokefunction")).contains(large);
    assertThat(handler.readTextContaining("invokefunction")).contains(small);
  }
}
