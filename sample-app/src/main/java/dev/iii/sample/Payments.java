package dev.iii.sample;

import dev.iii.sample.Orders.Charge;
import dev.iii.sample.Orders.Payment;
import dev.iii.spring.annotation.IIIFunction;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A stand-in payment service. In a real system it would be another worker, in any language; callers
 * only know the function id. A payment provider takes few connections, so at most 4 charges run at
 * once and 50 more may wait; beyond that a charge is refused {@code unavailable} at once, and other
 * functions keep their own threads.
 */
@Component
public class Payments {

  private static final Logger log = LoggerFactory.getLogger(Payments.class);

  @IIIFunction(
      id = "payment::charge",
      description = "Charges a customer",
      concurrency = 4,
      queueCapacity = 50)
  public Payment charge(Charge charge) {
    Payment payment = new Payment("pay_" + UUID.randomUUID());
    log.info("Charged {} to {}: {}", charge.amount(), charge.customer(), payment.id());
    return payment;
  }
}
