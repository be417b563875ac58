/**
 * The iii client's WebSocket transport on Spring WebFlux's {@code WebSocketClient}, so that a
 * Spring application's own client (TLS, proxy, observability) carries the engine connection.
 */
@NullMarked
package dev.iii.spring.transport;

import org.jspecify.annotations.NullMarked;
