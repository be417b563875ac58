/** The {@code iii-state} module. */
@NullMarked
package dev.iii.engine.modules.state;

import org.jspecify.annotations.NullMarked;
