/**
 * Annotation-driven workers: discovery of {@code @IIIFunction} bean methods ({@link
 * dev.iii.spring.worker.IIIFunctionAnnotationBeanPostProcessor}), their registration with the
 * engine ({@link dev.iii.spring.worker.IIIFunctionRegistry}) and their invocation ({@link
 * dev.iii.spring.worker.IIIFunctionInvoker}), kept apart as in Spring Kafka's listener support.
 */
@NullMarked
package dev.iii.spring.worker;

import org.jspecify.annotations.NullMarked;
