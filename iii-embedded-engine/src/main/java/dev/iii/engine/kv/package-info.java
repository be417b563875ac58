/**
 * The key-value store behind the state and stream modules (the official engine's built-in {@code
 * kv} adapter): scopes of ordered keys holding JSON values, in memory or saved to files, and the
 * atomic update operations of {@code state::update} and {@code stream::update}.
 */
@NullMarked
package dev.iii.engine.kv;

import org.jspecify.annotations.NullMarked;
