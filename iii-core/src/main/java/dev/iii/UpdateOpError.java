package dev.iii;

import org.jspecify.annotations.Nullable;

/**
 * An operation of {@code state::update} or {@code stream::update} that failed and was skipped (the
 * others still applied): the official {@code UpdateOpError} ({@code {op_index, code, message,
 * doc_url?}}).
 *
 * @param opIndex the failed operation's index in the list sent
 * @param code a stable code, e.g. {@code increment.not_number} or {@code merge.path.too_deep}
 * @param message what went wrong, with the concrete numbers
 * @param docUrl where the code is documented, or {@code null}
 */
public record UpdateOpError(int opIndex, String code, String message, @Nullable String docUrl) {}
