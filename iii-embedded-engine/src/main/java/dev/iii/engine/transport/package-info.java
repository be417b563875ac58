/** The engine's sockets: the worker WebSocket and the HTTP listener, on Reactor Netty. Internal. */
@NullMarked
package dev.iii.engine.transport;

import org.jspecify.annotations.NullMarked;
