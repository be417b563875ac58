/** The {@code iii-pubsub} module. */
@NullMarked
package dev.iii.engine.modules.pubsub;

import org.jspecify.annotations.NullMarked;
