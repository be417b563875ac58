/**
 * Testcontainers support: {@link dev.iii.spring.boot.testcontainers.IIIContainer} runs the official
 * engine image, and a {@code @ServiceConnection} on it (or on any container of {@code iiidev/iii})
 * points the auto-configured client at it.
 */
@NullMarked
package dev.iii.spring.boot.testcontainers;

import org.jspecify.annotations.NullMarked;
