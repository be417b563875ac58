/**
 * Typed access to the engine's key-value state ({@code iii-state}): {@link dev.iii.state.State}
 * (from {@link dev.iii.IIIClient#state()}) over the functions {@code state::get}, {@code set},
 * {@code delete}, {@code update}, {@code list} and {@code list_groups}; {@link dev.iii.UpdateOp}
 * for the operations of an update; {@link dev.iii.state.StateEvent} for the input of a function
 * bound to a {@code state} trigger. Names follow the official SDKs' {@code iii-sdk/state} types.
 */
@NullMarked
package dev.iii.state;

import org.jspecify.annotations.NullMarked;
