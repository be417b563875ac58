/**
 * Micrometer observations of iii calls ({@code iii.client.call}) and invocations ({@code
 * iii.function.invocation}) that carry the W3C {@code traceparent} and {@code baggage} across the
 * engine, so a tracing bridge continues the caller's trace in the function.
 */
@NullMarked
package dev.iii.spring.boot.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
