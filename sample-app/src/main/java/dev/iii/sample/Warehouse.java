package dev.iii.sample;

import dev.iii.spring.annotation.IIIFunction;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** A stand-in warehouse: {@code warehouse::ship} records the orders it was asked to ship. */
@Component
public class Warehouse {

  private static final Logger log = LoggerFactory.getLogger(Warehouse.class);

  /** The input of {@code warehouse::ship}. */
  public record Shipment(String orderId) {}

  private final List<String> shipped = new CopyOnWriteArrayList<>();

  @IIIFunction(id = "warehouse::ship", description = "Ships an order")
  public void ship(Shipment shipment) {
    shipped.add(shipment.orderId());
    log.info("Shipping order {} ({} shipped so far)", shipment.orderId(), shipped.size());
  }

  /** The ids of the orders shipped so far, oldest first. */
  public List<String> shippedOrders() {
    return List.copyOf(shipped);
  }
}
