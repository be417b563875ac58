package dev.iii.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.iii.IIIClient;
import dev.iii.sample.Orders.Order;
import dev.iii.sample.Orders.OrderProcessed;
import dev.iii.sample.Orders.Payment;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * {@link Orders} with a mocked {@link IIIClient}: no engine (the embedded one is switched off), the
 * payment service's answer is stubbed, and the calls it receives are verified.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = "iii.embedded.enabled=false")
class OrdersMockedClientTest {

  @MockitoBean IIIClient iii;
  @Autowired Orders orders;

  @Test
  void chargesThroughPaymentAndShipsThroughTheWarehouse() {
    when(iii.call(eq("payment::charge"), any(), eq(Payment.class)))
        .thenReturn(CompletableFuture.completedFuture(new Payment("pay_1")));

    OrderProcessed processed =
        orders
            .process(new Order("o-1", new BigDecimal("9.99"), "c-1"))
            .toCompletableFuture()
            .join();

    assertThat(processed).isEqualTo(new OrderProcessed(true, "pay_1"));
    verify(iii).callVoid(eq("warehouse::ship"), any());
  }
}
