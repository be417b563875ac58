package dev.iii.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.aot.DisabledInAotMode;

/**
 * Runs the test's application context against an iii engine started inside the test JVM on free
 * ports, as {@code @EmbeddedKafka} does for Kafka, and provides an {@link IIITestClient} bean that
 * calls the application's functions and HTTP routes through that engine.
 *
 * <p>Use it on a {@code @SpringBootTest} class. It sets {@code iii.embedded.enabled=true}, {@code
 * iii.embedded.host=127.0.0.1}, {@code iii.embedded.port=0}, {@code iii.embedded.http-port=0},
 * {@code iii.embedded.stream-port=0} and {@code iii.fail-fast=true}, so the client is connected,
 * and every {@code @IIIFunction} and its triggers are registered and confirmed by the engine,
 * before the first test runs. The engine belongs to the application context: tests that share a
 * cached context share one engine, and it stops when the context is closed. The engine bean ({@code
 * EmbeddedEngine}) can be injected too.
 *
 * <p>It also imports the iii auto-configuration, so it works in test slices that do not enable
 * auto-configuration as a whole. Needs {@code dev.iii:iii-embedded-engine} on the test classpath.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@ContextCustomizerFactories(IIITestContextCustomizerFactory.class)
@DisabledInAotMode("@AutoConfigureIII starts an engine on free ports while the context refreshes")
public @interface AutoConfigureIII {}
