package dev.iii.engine.kv;

import org.jspecify.annotations.Nullable;

/**
 * An update operation that failed; the others still applied. Serialised as the official {@code
 * UpdateOpError}: {@code {op_index, code, message, doc_url?}}.
 *
 * @param opIndex the index of the op in the request's {@code ops}
 * @param code a stable code, e.g. {@code increment.not_number}
 * @param message what went wrong, for people
 * @param docUrl where the code is documented, or {@code null}
 */
public record UpdateOpError(int opIndex, String code, String message, @Nullable String docUrl) {}
