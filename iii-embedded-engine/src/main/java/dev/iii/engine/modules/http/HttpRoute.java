package dev.iii.engine.modules.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One armed {@code http} trigger: a method and path bound to a function.
 *
 * @param triggerId the trigger that created the route
 * @param functionId the function an HTTP request invokes
 * @param apiPath the {@code api_path} exactly as registered (sent to the function as {@code path})
 * @param method the upper-case HTTP method
 * @param segments the path's segments, without the leading {@code /} ({@code /} has none)
 * @param conditionFunctionId the function deciding whether a request proceeds, or {@code null}
 * @param middlewareFunctionIds the route's middleware, called in order after the condition
 * @param metadata the trigger's metadata, handed to the function with every request, or {@code
 *     null}
 */
record HttpRoute(
    String triggerId,
    String functionId,
    String apiPath,
    String method,
    List<Segment> segments,
    @Nullable String conditionFunctionId,
    List<String> middlewareFunctionIds,
    @Nullable JsonNode metadata) {

  /**
   * One path segment.
   *
   * @param text the literal text of a static segment, or the parameter's name
   * @param param whether the segment matches any non-empty request segment
   * @param extracted whether the parameter's value goes into {@code path_params}: only the {@code
   *     :name} form is extracted, as in the official engine ({@code {name}} routes but yields none)
   */
  record Segment(String text, boolean param, boolean extracted) {}

  HttpRoute {
    segments = List.copyOf(segments);
    middlewareFunctionIds = List.copyOf(middlewareFunctionIds);
  }

  /** The route table key, {@code METHOD:path} with leading slashes stripped. */
  String key() {
    return method + ":" + normalizedPath(apiPath);
  }

  /** The path as the official engine keys it: leading slashes stripped, {@code /} when empty. */
  static String normalizedPath(String apiPath) {
    int start = 0;
    while (start < apiPath.length() && apiPath.charAt(start) == '/') {
      start++;
    }
    return start == apiPath.length() ? "/" : apiPath.substring(start);
  }

  /**
   * Splits an {@code api_path} into segments.
   *
   * @throws IllegalArgumentException for a segment the router cannot serve (wildcards, braces that
   *     are not a whole {@code {name}} segment, empty parameter names)
   */
  static List<Segment> parse(String apiPath) {
    String path = normalizedPath(apiPath);
    List<Segment> segments = new ArrayList<>();
    if (path.equals("/")) {
      return segments;
    }
    for (String part : path.split("/", -1)) {
      segments.add(parseSegment(part));
    }
    return segments;
  }

  private static Segment parseSegment(String part) {
    if (part.startsWith("*")) {
      throw new IllegalArgumentException("wildcard segments (" + part + ") are not supported");
    }
    if (part.startsWith(":")) {
      return new Segment(paramName(part, part.substring(1)), true, true);
    }
    if (part.startsWith("{") && part.endsWith("}") && part.length() >= 2) {
      return new Segment(paramName(part, part.substring(1, part.length() - 1)), true, false);
    }
    if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
      throw new IllegalArgumentException("segment " + part + " mixes braces with text");
    }
    return new Segment(part, false, false);
  }

  private static String paramName(String part, String name) {
    if (name.isEmpty() || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
      throw new IllegalArgumentException("segment " + part + " has no valid parameter name");
    }
    return name;
  }

  /**
   * The {@code path_params} of a request path matched to this route: the raw (still
   * percent-encoded) values of its {@code :name} segments.
   */
  Map<String, String> pathParams(List<String> requestSegments) {
    Map<String, String> params = new LinkedHashMap<>();
    if (requestSegments.size() != segments.size()) {
      return params;
    }
    for (int i = 0; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      if (segment.extracted()) {
        params.put(segment.text(), requestSegments.get(i));
      }
    }
    return params;
  }

  /**
   * Why this route cannot live next to {@code other} (a route with another key), or {@code null}
   * when it can. The official router matches by position, so routes of one shape (static segments
   * equal, parameters at the same places) are one route to it: for the same method the official
   * engine refuses the second with this message; across methods it accepts them unless their
   * parameter names differ, and then its router fails, so this engine refuses that too.
   */
  @Nullable String conflictWith(HttpRoute other) {
    if (segments.size() != other.segments.size()) {
      return null;
    }
    boolean sameNames = true;
    for (int i = 0; i < segments.size(); i++) {
      Segment mine = segments.get(i);
      Segment theirs = other.segments.get(i);
      if (mine.param() != theirs.param()) {
        return null;
      }
      boolean sameText = mine.text().equals(theirs.text());
      if (!mine.param() && !sameText) {
        return null;
      }
      sameNames &= sameText;
    }
    if (!method.equals(other.method) && sameNames) {
      return null;
    }
    return "Route '"
        + method
        + " "
        + apiPath
        + "' conflicts with already-registered route '"
        + other.method
        + " "
        + other.apiPath
        + "': routes with identical structure but different path-parameter names are not"
        + " supported";
  }
}
