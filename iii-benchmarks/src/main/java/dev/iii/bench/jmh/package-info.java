/** JMH micro-benchmarks: the codec's two call messages, encoded and decoded. */
@NullMarked
package dev.iii.bench.jmh;

import org.jspecify.annotations.NullMarked;
