/** Typed helpers for the engine's {@code iii-stream} module ({@code stream::*} functions). */
@NullMarked
package dev.iii.stream;

import org.jspecify.annotations.NullMarked;
