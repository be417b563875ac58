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
 * only know the function id.
 */
@Component
public class Payments {

  private static final Logger log = LoggerFactory.getLogger(Payments.class);

  @IIIFunction(id = "payment::charge", description = "Charges a customer")
  public Payment charge(Charge charge) {
    Payment payment = new Payment("pay_" + UUID.randomUUID());
    log.info("Charged {} to {}: {}", charge.amount(), charge.customer(), payment.id());
    return payment;
  }
}
