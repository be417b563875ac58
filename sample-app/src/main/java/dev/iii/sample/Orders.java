package dev.iii.sample;

import dev.iii.EnqueueResult;
import dev.iii.IIIClient;
import dev.iii.TriggerAction;
import dev.iii.TriggerRequest;
import dev.iii.spring.annotation.Body;
import dev.iii.spring.annotation.Header;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.annotation.PathParam;
import dev.iii.spring.annotation.QueryParam;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * The reference's "Calling Other Functions": {@code POST /orders} charges the customer through
 * {@code payment::charge}, asks the warehouse to ship without waiting ({@code warehouse::ship}),
 * and answers with the payment id. It also keeps the order in the engine's state (scope {@code
 * orders}), publishes {@code orders.placed} (see {@link Loyalty}) and enqueues its receipt on the
 * {@code receipts} queue, which retries a failed delivery (see {@link Receipts}). The body is
 * checked with Bean Validation: an order without an id, a customer or a positive total is answered
 * 400. {@code GET /orders/{id}} shows the bound path, query and header parameters, and an exception
 * that sets the HTTP status.
 */
@Component
public class Orders {

  private static final Logger log = LoggerFactory.getLogger(Orders.class);

  /** The request body of {@code POST /orders}. */
  public record Order(
      @NotBlank String id, @Positive BigDecimal total, @NotBlank String customerId) {}

  /** The input of {@code payment::charge}. */
  public record Charge(BigDecimal amount, String customer) {}

  /** The result of {@code payment::charge}. */
  public record Payment(String id) {}

  /** The response of {@code POST /orders}. */
  public record OrderProcessed(boolean success, String paymentId) {}

  /** The response of {@code GET /orders/{id}}. */
  public record OrderStatus(
      String id, String paymentId, @Nullable Order order, @Nullable String requestId) {}

  /** An order as kept in the engine's state, scope {@code orders}. */
  public record StoredOrder(Order order, String paymentId) {}

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
  public CompletionStage<OrderProcessed> process(@Body @Valid Order order) {
    log.info("Processing order {} for {}", order.id(), order.customerId());
    return iii.call("payment::charge", new Charge(order.total(), order.customerId()), Payment.class)
        .thenApply(
            payment -> {
              String paymentId =
                  Objects.requireNonNull(payment, "payment::charge answered null").id();
              // Fire and forget: the customer does not wait for the warehouse.
              iii.callVoid("warehouse::ship", new Warehouse.Shipment(order.id()));
              return paymentId;
            })
        .thenCompose(
            paymentId ->
                iii.state()
                    .set("orders", order.id(), new StoredOrder(order, paymentId))
                    .thenApply(saved -> paymentId))
        .thenCompose(
            paymentId -> {
              iii.publish(
                  "orders.placed",
                  new Loyalty.OrderPlaced(order.id(), order.customerId(), order.total()));
              // Queued: the engine answers with a receipt id at once, and retries a failed send.
              return iii.trigger(
                      TriggerRequest.of(
                              "receipts::send",
                              new Receipts.Receipt(order.id(), order.customerId(), paymentId))
                          .withAction(TriggerAction.enqueue("receipts")),
                      EnqueueResult.class)
                  .thenApply(queued -> new OrderProcessed(true, paymentId));
            });
  }

  /**
   * {@code GET /orders/{id}?lines=true}: the id from the path, an optional query parameter and an
   * optional header, each converted to its parameter's type; an unknown id is answered 404.
   */
  @IIIFunction(id = "orders::get", description = "Shows a processed order")
  @HttpTrigger(path = "/orders/{id}")
  public CompletionStage<OrderStatus> get(
      @PathParam String id,
      @QueryParam(defaultValue = "false") boolean lines,
      @Header(name = "X-Request-Id", required = false) @Nullable String requestId) {
    return iii.state()
        .get("orders", id, StoredOrder.class)
        .thenApply(
            stored -> {
              if (stored == null) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id);
              }
              return new OrderStatus(
                  id, stored.paymentId(), lines ? stored.order() : null, requestId);
            });
  }
}
