/**
 * The iii worker protocol: one record per WebSocket message, and the codec that reads and writes
 * them exactly as the official engine does. Shared by the client and the embedded engine.
 */
@NullMarked
package dev.iii.protocol;

import org.jspecify.annotations.NullMarked;
