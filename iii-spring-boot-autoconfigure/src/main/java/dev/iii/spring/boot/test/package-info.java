/**
 * Test support: {@link dev.iii.spring.boot.test.AutoConfigureIII} starts the application against an
 * embedded iii engine on free ports, and {@link dev.iii.spring.boot.test.IIITestClient} calls its
 * functions and HTTP routes. Needs {@code spring-test} and {@code dev.iii:iii-embedded-engine} on
 * the test classpath; nothing here is loaded by the application itself.
 */
@NullMarked
package dev.iii.spring.boot.test;

import org.jspecify.annotations.NullMarked;
