/**
 * JSON Schemas of Java types, so that functions with typed input and output describe themselves in
 * the engine's function listings ({@code request_format} and {@code response_format}). Start with
 * {@link dev.iii.schema.JsonSchemas}.
 */
@NullMarked
package dev.iii.schema;

import org.jspecify.annotations.NullMarked;
