package dev.iii.bench;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} arguments of a worker or caller process. */
final class RoleArguments {

  private final Map<String, String> values = new HashMap<>();

  /**
   * Parses {@code --name value} pairs; a {@code --name} followed by another option or nothing is a
   * flag with the value {@code "true"}.
   */
  RoleArguments(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
      values.put(arg.substring(2), hasValue ? args[++i] : "true");
    }
  }

  /** The value of {@code --name}. */
  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  /** The value of {@code --name}, or {@code fallback}. */
  String optional(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** Whether the flag {@code --name} was given. */
  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }
}
