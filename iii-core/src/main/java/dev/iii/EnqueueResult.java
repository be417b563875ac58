package dev.iii;

import java.util.Objects;

/**
 * What the engine answers to a call made with {@link TriggerAction#enqueue(String)}: the receipt of
 * the queued message (the official SDKs' {@code EnqueueResult}). Read a call's result as this type:
 * {@code iii.trigger(request, EnqueueResult.class)}.
 *
 * @param messageReceiptId the id the engine gave the queued message
 */
public record EnqueueResult(String messageReceiptId) {

  /** Requires the receipt id. */
  public EnqueueResult {
    Objects.requireNonNull(messageReceiptId, "messageReceiptId");
  }
}
