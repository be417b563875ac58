/**
 * The embedded iii engine: {@link dev.iii.engine.EmbeddedEngine} runs it in-process, {@link
 * dev.iii.engine.EngineMain} stand-alone.
 */
@NullMarked
package dev.iii.engine;

import org.jspecify.annotations.NullMarked;
