package dev.iii.sample;

import dev.iii.ApiRequest;
import dev.iii.HttpResponseStream;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.IIIFunction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A streamed HTTP response: {@code GET /stream?count=5} sends server-sent events one by one through
 * the request's response channel instead of returning a body.
 */
@Component
public class EventStream {

  private static final int DEFAULT_COUNT = 10;
  private static final int MAX_COUNT = 1000;

  /**
   * Returns nothing: a method that takes the {@link ApiRequest} and returns {@code void} answers
   * through {@link ApiRequest#stream()}. Each write waits until the engine took the event, so a
   * slow client slows this loop down instead of filling memory.
   */
  @IIIFunction(id = "api::stream", description = "Streams server-sent events")
  @HttpTrigger(path = "/stream", method = "GET")
  public void events(ApiRequest<Void> request) {
    int count = count(request.queryParams().get("count"));
    HttpResponseStream response =
        request.stream()
            .status(200)
            .headers(Map.of("content-type", "text/event-stream", "cache-control", "no-cache"));
    for (int i = 0; i < count; i++) {
      String event = "id: " + i + "\ndata: {\"value\":" + i + "}\n\n";
      response.write(event.getBytes(StandardCharsets.UTF_8)).join();
    }
    response.close().join();
  }

  private static int count(@Nullable String requested) {
    if (requested == null) {
      return DEFAULT_COUNT;
    }
    try {
      return Math.max(0, Math.min(Integer.parseInt(requested), MAX_COUNT));
    } catch (NumberFormatException e) {
      return DEFAULT_COUNT;
    }
  }
}
