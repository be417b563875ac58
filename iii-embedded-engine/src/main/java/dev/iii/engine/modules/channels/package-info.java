/** Streaming data channels between workers. Internal. */
@NullMarked
package dev.iii.engine.modules.channels;

import org.jspecify.annotations.NullMarked;
