/** Small utilities the engine's packages share (rate-limited logging). */
@NullMarked
package dev.iii.engine.support;

import org.jspecify.annotations.NullMarked;
