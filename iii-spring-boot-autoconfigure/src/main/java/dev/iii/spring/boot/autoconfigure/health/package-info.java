/** The {@code iii} health indicator: the client's connection state, read locally. */
@NullMarked
package dev.iii.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
