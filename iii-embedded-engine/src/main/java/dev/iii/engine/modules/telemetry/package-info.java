/** Telemetry frames (OTLP JSON behind a 4-byte prefix) sent by the official SDKs. Internal. */
@NullMarked
package dev.iii.engine.modules.telemetry;

import org.jspecify.annotations.NullMarked;
