package dev.iii.protocol;

/** W→E application-level ping; the engine answers {@link Pong}. */
public record Ping() implements Message {

  @Override
  public String type() {
    return "ping";
  }
}
