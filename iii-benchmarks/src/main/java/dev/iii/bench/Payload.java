package dev.iii.bench;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The echo payload every caller sends: a JSON object of exactly 100 bytes. */
public final class Payload {

  /** The payload as JSON text. The Node caller gets the same text on its command line. */
  public static final String JSON =
      "{\"id\":123,\"name\":\"the echo payload of the iii benchmarks, 100 bytes\","
          + "\"tags\":[\"a\",\"b\"],\"amount\":12.5}";

  /** The {@code id} field, which every caller checks in the echoed result. */
  public static final int ID = 123;

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Payload() {}

  /** The payload as a fresh {@code Map} (what a Java caller passes to {@code III.call}). */
  public static Map<String, Object> asMap() {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = MAPPER.readValue(JSON, Map.class);
    return map;
  }

  /** Whether {@code result} is the echoed payload (the engine may add fields to it). */
  public static boolean isEcho(Object result) {
    return result instanceof Map<?, ?> map
        && map.get("id") instanceof Number id
        && id.intValue() == ID
        && map.get("name") != null;
  }
}
