/**
 * How the client reaches the engine: a small WebSocket SPI ({@link
 * dev.iii.transport.WebSocketTransport}) and its default implementation on Reactor Netty. Another
 * implementation (the Spring starter plugs in Spring WebFlux's {@code WebSocketClient}) is set with
 * {@code InitOptions.Builder#transport}.
 */
@NullMarked
package dev.iii.transport;

import org.jspecify.annotations.NullMarked;
