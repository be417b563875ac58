/** The iii client: register functions and triggers with an iii engine and call functions. */
@NullMarked
package dev.iii;

import org.jspecify.annotations.NullMarked;
