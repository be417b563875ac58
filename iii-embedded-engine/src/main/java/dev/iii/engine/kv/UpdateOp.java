package dev.iii.engine.kv;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One operation of {@code state::update} / {@code stream::update}, as the wire names it: {@code
 * {"type": "set" | "increment" | "decrement" | "append" | "remove" | "merge", "path", …}}.
 *
 * @param type the operation's {@code type}
 * @param path the path's segments ({@code []} for the value itself)
 * @param argument the operation's {@code value} or {@code by}, or a JSON null when it has none
 */
public record UpdateOp(String type, List<String> path, JsonNode argument) {

  public UpdateOp {
    path = List.copyOf(path);
  }
}
