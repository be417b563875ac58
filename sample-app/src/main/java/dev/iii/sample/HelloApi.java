package dev.iii.sample;

import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import org.springframework.stereotype.Component;

/** The reference's "Basic HTTP API": {@code GET /hello} on the engine's REST API. */
@Component
public class HelloApi {

  /** The response body. */
  public record Greeting(String message) {}

  /** A plain return value of an HTTP-triggered function is a 200 JSON response. */
  @IIIFunction(id = "api::hello", description = "Says hello")
  @HttpTrigger(path = "/hello", method = "GET")
  public Greeting hello() {
    return new Greeting("Hello, world!");
  }
}
