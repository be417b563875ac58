/**
 * What the engine knows: connected workers, functions, trigger types, triggers and services.
 * Internal.
 */
@NullMarked
package dev.iii.engine.registry;

import org.jspecify.annotations.NullMarked;
