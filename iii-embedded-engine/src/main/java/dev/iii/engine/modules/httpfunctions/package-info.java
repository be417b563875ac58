/**
 * Functions the engine invokes over HTTP ({@code registerfunction} with {@code invocation}).
 * Internal.
 */
@NullMarked
package dev.iii.engine.modules.httpfunctions;

import org.jspecify.annotations.NullMarked;
