/**
 * Streaming data channels between workers. Internal.
 *
 * <p>Each channel end has its own access key: the reader ref carries the key of the reader end, the
 * writer ref that of the writer end, and {@code /ws/channels/{id}?key=…&dir=…} opens an end only
 * with its own key (compared in constant time). The official engine (v0.22) gives both refs one
 * key; the official SDKs (Node, browser, Python, Rust, Go) always open the end named by a ref's
 * {@code direction} with that ref's key, never the opposite end, so separate keys are invisible to
 * them, and holding a reader ref no longer lets anyone write into the channel.
 */
@NullMarked
package dev.iii.engine.modules.channels;

import org.jspecify.annotations.NullMarked;
