/** The {@code iii-queue} module. */
@NullMarked
package dev.iii.engine.modules.queue;

import org.jspecify.annotations.NullMarked;
