/** The {@code iii-stream} module. */
@NullMarked
package dev.iii.engine.modules.stream;

import org.jspecify.annotations.NullMarked;
