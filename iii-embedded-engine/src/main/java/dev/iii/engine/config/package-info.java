/** Engine configuration: the official engine's YAML format, with the embedded engine's defaults. */
@NullMarked
package dev.iii.engine.config;

import org.jspecify.annotations.NullMarked;
