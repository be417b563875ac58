/** Annotations that turn Spring bean methods into iii functions and bind them to triggers. */
@NullMarked
package dev.iii.spring.annotation;

import org.jspecify.annotations.NullMarked;
