/**
 * What each protocol message does, and how invocations travel from caller to handler and back.
 * Internal.
 */
@NullMarked
package dev.iii.engine.router;

import org.jspecify.annotations.NullMarked;
