package dev.iii.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.iii.EnqueueResult;
import dev.iii.IIIClient;
import dev.iii.TriggerRequest;
import dev.iii.sample.Orders.Order;
import dev.iii.sample.Orders.OrderProcessed;
import dev.iii.sample.Orders.Payment;
import dev.iii.state.State;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import tools.jackson.databind.JsonNode;

/**
 * {@link Orders} with a mocked {@link IIIClient}: no engine (the embedded one is switched off), the
 * engine's answers are stubbed, and the calls it receives are verified.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = "iii.embedded.enabled=false")
class OrdersMockedClientTest {

  @MockitoBean IIIClient iii;
  @Autowired Orders orders;

  @Test
  void chargesShipsSavesPublishesAndEnqueuesTheReceipt() {
    when(iii.call(eq("payment::charge"), any(), eq(Payment.class)))
        .thenReturn(CompletableFuture.completedFuture(new Payment("pay_1")));
    // The typed state helper is a thin layer over the client's calls: stub the call it makes.
    when(iii.state()).thenReturn(new State(iii));
    when(iii.call(eq("state::set"), any(), eq(JsonNode.class)))
        .thenReturn(CompletableFuture.completedFuture(null));
    when(iii.publish(eq("orders.placed"), any()))
        .thenReturn(CompletableFuture.completedFuture(null));
    when(iii.trigger(any(TriggerRequest.class), eq(EnqueueResult.class)))
        .thenReturn(CompletableFuture.completedFuture(new EnqueueResult("m-1")));

    OrderProcessed processed =
        orders
            .process(new Order("o-1", new BigDecimal("9.99"), "c-1"))
            .toCompletableFuture()
            .join();

    assertThat(processed).isEqualTo(new OrderProcessed(true, "pay_1"));
    verify(iii).callVoid(eq("warehouse::ship"), any());
    verify(iii).publish(eq("orders.placed"), any());
    verify(iii)
        .trigger(
            argThat(
                (TriggerRequest request) ->
                    request.functionId().equals("receipts::send")
                        && request.action() != null
                        && "receipts".equals(request.action().queue())),
            eq(EnqueueResult.class));
  }
}
