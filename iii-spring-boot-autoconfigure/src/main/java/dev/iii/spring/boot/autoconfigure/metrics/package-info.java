/** Micrometer meters of the iii client and of the functions it runs. */
@NullMarked
package dev.iii.spring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
