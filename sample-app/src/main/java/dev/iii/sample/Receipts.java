package dev.iii.sample;

import dev.iii.spring.annotation.IIIFunction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A queued job with retries: {@code orders::process} enqueues {@code receipts::send} on the
 * engine's {@code receipts} queue ({@code TriggerAction.enqueue("receipts")}) and answers at once.
 * The stand-in mail server is busy the first time each receipt is sent, so the queue retries it
 * after its backoff (see {@code iii-config.yaml}); after the last attempt a message would go to the
 * dead-letter queue, from which {@code iii::queue::redrive} sends it again.
 */
@Component
public class Receipts {

  private static final Logger log = LoggerFactory.getLogger(Receipts.class);

  /** The input of {@code receipts::send}. */
  public record Receipt(String orderId, String customerId, String paymentId) {}

  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final List<String> sent = new CopyOnWriteArrayList<>();

  @IIIFunction(id = "receipts::send", description = "Emails the receipt of an order")
  public void send(Receipt receipt) {
    int attempt = attempts.merge(receipt.orderId(), 1, Integer::sum);
    if (attempt == 1) {
      // The queue retries this delivery after its backoff.
      throw new IllegalStateException("mail server busy, try again later");
    }
    sent.add(receipt.orderId());
    log.info("Receipt for order {} sent on attempt {}", receipt.orderId(), attempt);
  }

  /** How many times the receipt of an order was attempted. */
  public int attempts(String orderId) {
    return attempts.getOrDefault(orderId, 0);
  }

  /** The orders whose receipt was sent, oldest first. */
  public List<String> sentReceipts() {
    return List.copyOf(sent);
  }
}
