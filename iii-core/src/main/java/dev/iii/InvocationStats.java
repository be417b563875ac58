package dev.iii;

/**
 * What this worker's functions are doing now, from {@link IIIClient#invocationStats()}.
 *
 * @param inFlight invocations running (a handler that returned a future counts until it completes)
 * @param queued invocations accepted and waiting for a free handler slot
 * @param maxConcurrency how many may run at once ({@link InitOptions#maxConcurrentInvocations()})
 * @param maxQueued how many may wait ({@link InitOptions#maxQueuedInvocations()})
 * @param rejected invocations answered {@code unavailable} so far because the queue was full
 */
public record InvocationStats(
    int inFlight, int queued, int maxConcurrency, int maxQueued, long rejected) {}
