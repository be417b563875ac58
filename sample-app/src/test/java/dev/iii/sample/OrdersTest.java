package dev.iii.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.sample.Orders.OrderProcessed;
import dev.iii.sample.Orders.OrderStatus;
import dev.iii.spring.boot.test.AutoConfigureIII;
import dev.iii.spring.boot.test.IIITestClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@code orders::process} with {@link AutoConfigureIII}: the application against an embedded engine
 * on free ports (whatever {@code application.yml} says), called through {@link IIITestClient}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
@AutoConfigureIII
class OrdersTest {

  @Autowired IIITestClient iii;
  @Autowired Warehouse warehouse;
  @Autowired Receipts receipts;
  @Autowired Loyalty loyalty;

  @Test
  void postingAnOrderChargesAndShipsIt() {
    String orderId = "order-" + UUID.randomUUID();

    IIITestClient.Response response =
        iii.post("/orders", Map.of("id", orderId, "total", 42.5, "customerId", "c-7"));

    assertThat(response.status()).isEqualTo(200);
    OrderProcessed processed = response.body(OrderProcessed.class);
    assertThat(processed.success()).isTrue();
    assertThat(processed.paymentId()).startsWith("pay_");
    // warehouse::ship is fired without waiting, so it may land just after the answer.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(warehouse::shippedOrders, orders -> orders.contains(orderId));
  }

  @Test
  void anOrderIsKeptInStatePublishedAndItsReceiptRetriedByTheQueue() {
    String orderId = "order-" + UUID.randomUUID();
    String customer = "c-" + UUID.randomUUID();

    iii.post("/orders", Map.of("id", orderId, "total", 7, "customerId", customer));

    Orders.StoredOrder stored =
        iii.call("state::get", Map.of("scope", "orders", "key", orderId), Orders.StoredOrder.class);
    assertThat(stored).isNotNull();
    assertThat(stored.paymentId()).startsWith("pay_");
    await().atMost(Duration.ofSeconds(10)).until(() -> loyalty.points(customer) == 1);
    // The first delivery fails ("mail server busy"); the queue sends it again after its backoff.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(receipts::sentReceipts, sent -> sent.contains(orderId));
    assertThat(receipts.attempts(orderId)).isEqualTo(2);
  }

  @Test
  void theFunctionCanBeCalledDirectly() {
    OrderProcessed processed =
        iii.call(
            "orders::process",
            Map.of("id", "order-direct", "total", 1, "customerId", "c-1"),
            OrderProcessed.class);

    assertThat(processed).isNotNull();
    assertThat(processed.success()).isTrue();
  }

  @Test
  void anInvalidOrderIs400NamingEachViolation() {
    IIITestClient.Response response =
        iii.post("/orders", Map.of("id", "", "total", -1, "customerId", "c-1"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("message").asString())
        .contains("id must not be blank")
        .contains("total must be greater than 0");
  }

  @Test
  void aProcessedOrderIsShownWithItsBoundParameters() {
    String orderId = "order-" + UUID.randomUUID();
    iii.post("/orders", Map.of("id", orderId, "total", 3, "customerId", "c-3"));

    IIITestClient.Response response =
        iii.request(
            "GET", "/orders/" + orderId + "?lines=true", null, Map.of("X-Request-Id", "r-1"));
    IIITestClient.Response unknown = iii.get("/orders/nope");

    assertThat(response.status()).isEqualTo(200);
    OrderStatus status = response.body(OrderStatus.class);
    assertThat(status.id()).isEqualTo(orderId);
    assertThat(status.requestId()).isEqualTo("r-1");
    assertThat(status.order()).isNotNull();
    assertThat(unknown.status()).isEqualTo(404);
  }
}
