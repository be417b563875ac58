/**
 * The always-on engine module: built-in {@code engine::*} functions and trigger types. Internal.
 */
@NullMarked
package dev.iii.engine.modules.worker;

import org.jspecify.annotations.NullMarked;
