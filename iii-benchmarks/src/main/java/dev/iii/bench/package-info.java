/**
 * Benchmarks of iii-core against the official Node SDK and of the REST port against plain WebFlux:
 * the harness ({@link dev.iii.bench.BenchmarkMain}) and the worker and caller processes it starts.
 */
@NullMarked
package dev.iii.bench;

import org.jspecify.annotations.NullMarked;
