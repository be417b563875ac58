package dev.iii.sample;

import dev.iii.IIIClient;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The reference's "Calling Other Functions": {@code POST /orders} charges the customer through
 * {@code payment::charge}, asks the warehouse to ship without waiting ({@code warehouse::ship}),
 * and answers with the payment id.
 */
@Component
public class Orders {

  private static final Logger log = LoggerFactory.getLogger(Orders.class);

  /** The request body of {@code POST /orders}. */
  public record Order(String id, BigDecimal total, String customerId) {}

  /** The input of {@code payment::charge}. */
  public record Charge(BigDecimal amount, String customer) {}

  /** The result of {@code payment::charge}. */
  public record Payment(String id) {}

  /** The response of {@code POST /orders}. */
  public record OrderProcessed(boolean success, String paymentId) {}

  private final IIIClient iii;

  public Orders(IIIClient iii) {
    this.iii = iii;
  }

  /**
   * Returns a {@link CompletionStage} so no handler thread waits for the payment: the answer goes
   * out when the charge completes.
   */
  @IIIFunction(id = "orders::process", description = "Charges and ships an order")
  @HttpTrigger(path = "/orders", method = "POST")
  public CompletionStage<OrderProcessed> process(Order order) {
    log.info("Processing order {} for {}", order.id(), order.customerId());
    return iii.call("payment::charge", new Charge(order.total(), order.customerId()), Payment.class)
        .thenApply(
            payment -> {
              String paymentId =
                  Objects.requireNonNull(payment, "payment::charge answered null").id();
              // Fire and forget: the customer does not wait for the warehouse.
              iii.callVoid("warehouse::ship", new Warehouse.Shipment(order.id()));
              return new OrderProcessed(true, paymentId);
            });
  }
}
