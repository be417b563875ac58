/** The REST API module: trigger type {@code http}, served on the HTTP port. Internal. */
@NullMarked
package dev.iii.engine.modules.http;

import org.jspecify.annotations.NullMarked;
