package dev.iii.engine.modules.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The live HTTP routes. Changes rebuild an immutable matching tree that requests read without
 * locking, so a route is served as soon as its trigger has been registered.
 */
final class RouteTable {

  /** Methods the official router serves, in the order an {@code Allow} header lists them. */
  static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  /** What a request path and method resolved to. */
  sealed interface Match {}

  /** No route has this path. */
  record NotFound() implements Match {}

  /** Routes have this path, with other methods. */
  record MethodNotAllowed(String allow) implements Match {}

  /**
   * The path has a GET route and the request is HEAD: the official router accepts it, then finds no
   * {@code HEAD} registration.
   */
  record HeadWithoutRoute() implements Match {}

  /** The route to invoke and the request's path parameters. */
  record Found(HttpRoute route, Map<String, String> pathParams) implements Match {}

  /** A node of the matching tree: one path segment. */
  private static final class Node {
    final Map<String, Node> statics = new HashMap<>();
    @Nullable Node param;
    final Map<String, HttpRoute> byMethod = new HashMap<>();
  }

  /** Routes by key ({@code METHOD:path}); the last registration of a key wins. */
  private final Map<String, HttpRoute> routes = new LinkedHashMap<>();

  private volatile Node root = new Node();

  /**
   * Adds or replaces a route, unless another route has its shape (see {@link
   * HttpRoute#conflictWith}).
   *
   * @return {@code null} when added, else why not (the official engine's message)
   */
  synchronized @Nullable String put(HttpRoute route) {
    for (HttpRoute other : routes.values()) {
      if (!other.key().equals(route.key())) {
        String conflict = route.conflictWith(other);
        if (conflict != null) {
          return conflict;
        }
      }
    }
    routes.put(route.key(), route);
    rebuild();
    return null;
  }

  /**
   * Removes the route a trigger created. If a later trigger has taken over its key since, the route
   * belongs to that trigger and stays (the official engine would remove it anyway).
   */
  synchronized void removeTrigger(String triggerId) {
    if (routes.values().removeIf(route -> route.triggerId().equals(triggerId))) {
      rebuild();
    }
  }

  /**
   * Resolves a request.
   *
   * @param rawPath the request path, still percent-encoded, starting with {@code /}
   */
  Match match(String rawPath, String method) {
    List<String> segments = requestSegments(rawPath);
    Node node = find(root, segments, 0);
    if (node == null) {
      return new NotFound();
    }
    HttpRoute route = node.byMethod.get(method);
    if (route != null) {
      return new Found(route, route.pathParams(segments));
    }
    if (method.equals("HEAD") && node.byMethod.containsKey("GET")) {
      return new HeadWithoutRoute();
    }
    StringJoiner allow = new StringJoiner(",");
    for (String candidate : METHODS) {
      if (node.byMethod.containsKey(candidate)
          || (candidate.equals("HEAD") && node.byMethod.containsKey("GET"))) {
        allow.add(candidate);
      }
    }
    return new MethodNotAllowed(allow.toString());
  }

  private static List<String> requestSegments(String rawPath) {
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    List<String> segments = new ArrayList<>();
    if (path.isEmpty()) {
      return segments;
    }
    for (String part : path.split("/", -1)) {
      segments.add(part);
    }
    return segments;
  }

  /** Depth-first: a static segment is tried before a parameter, and a dead end backtracks. */
  private static @Nullable Node find(Node node, List<String> segments, int index) {
    if (index == segments.size()) {
      return node.byMethod.isEmpty() ? null : node;
    }
    String segment = segments.get(index);
    Node next = node.statics.get(segment);
    if (next != null) {
      Node found = find(next, segments, index + 1);
      if (found != null) {
        return found;
      }
    }
    if (node.param != null && !segment.isEmpty()) {
      return find(node.param, segments, index + 1);
    }
    return null;
  }

  private void rebuild() {
    Node fresh = new Node();
    for (HttpRoute route : routes.values()) {
      Node node = fresh;
      for (HttpRoute.Segment segment : route.segments()) {
        if (segment.param()) {
          if (node.param == null) {
            node.param = new Node();
          }
          node = node.param;
        } else {
          node = node.statics.computeIfAbsent(segment.text(), text -> new Node());
        }
      }
      node.byMethod.put(route.method(), route);
    }
    root = fresh;
  }
}
