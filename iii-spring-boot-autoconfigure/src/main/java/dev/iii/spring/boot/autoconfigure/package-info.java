/** Auto-configuration of iii for Spring Boot: the client, annotated workers, health, metrics. */
@NullMarked
package dev.iii.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
