package dev.iii.protocol;

/** E→W answer to {@link Ping}. */
public record Pong() implements Message {

  @Override
  public String type() {
    return "pong";
  }
}
