package dev.iii.sample;

import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.annotation.Subscribe;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Pub/sub: every {@code orders.placed} event published by {@code orders::process} earns the
 * customer a point. Publishers do not know who listens; any worker, in any language, may subscribe
 * to the same topic.
 */
@Component
public class Loyalty {

  private static final Logger log = LoggerFactory.getLogger(Loyalty.class);

  /** The event published on {@code orders.placed}. */
  public record OrderPlaced(String orderId, String customerId, BigDecimal total) {}

  private final Map<String, Integer> points = new ConcurrentHashMap<>();

  @IIIFunction(id = "loyalty::orderPlaced", description = "Gives a point for each order")
  @Subscribe("orders.placed")
  public void orderPlaced(OrderPlaced event) {
    int total = points.merge(event.customerId(), 1, Integer::sum);
    log.info(
        "Customer {} has {} points after order {}", event.customerId(), total, event.orderId());
  }

  /** A customer's points. */
  public int points(String customerId) {
    return points.getOrDefault(customerId, 0);
  }
}
