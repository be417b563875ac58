package dev.iii.spring.transport;

import dev.iii.transport.WebSocketTransport;
import java.util.function.Supplier;

/** The transport iii-core's client tests run on in this module: WebFlux's WebSocketClient. */
public final class WebFluxTestTransport implements Supplier<WebSocketTransport> {

  @Override
  public WebSocketTransport get() {
    return WebFluxWebSocketTransport.create();
  }
}
