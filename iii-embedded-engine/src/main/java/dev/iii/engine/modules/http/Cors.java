package dev.iii.engine.modules.http;

import dev.iii.engine.config.RestApiConfig.CorsConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * CORS headers as the official engine's CORS layer writes them. Without a {@code cors} config
 * everything is allowed and exposed; with one, only the listed origins are echoed and nothing is
 * exposed. Every {@code OPTIONS} request is a preflight, answered without reaching a route.
 */
final class Cors {

  private static final String ANY = "*";
  private static final String VARY =
      "origin,access-control-request-method,access-control-request-headers";

  /** Exact allowed origins, or {@code null} for any. */
  private final @Nullable List<String> origins;

  /** The {@code access-control-allow-methods} value. */
  private final String methods;

  private final boolean exposeAll;

  Cors(@Nullable CorsConfig config) {
    if (config == null) {
      origins = null;
      methods = ANY;
      exposeAll = true;
      return;
    }
    List<String> configured = config.allowedOrigins();
    origins = configured.isEmpty() || configured.contains(ANY) ? null : configured;
    methods =
        config.allowedMethods().isEmpty()
            ? ANY
            : String.join(
                ",",
                config.allowedMethods().stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
    exposeAll = false;
  }

  /** Adds the headers of an ordinary (non-preflight) response. */
  void applyToResponse(HttpHeaders request, HttpHeaders response) {
    response.add(HttpHeaderNames.VARY, VARY);
    setAllowOrigin(request, response);
    if (exposeAll) {
      response.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, ANY);
    }
  }

  /** Adds the headers of a preflight response. */
  void applyToPreflight(HttpHeaders request, HttpHeaders response) {
    response.add(HttpHeaderNames.VARY, VARY);
    setAllowOrigin(request, response);
    response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
    response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ANY);
  }

  private void setAllowOrigin(HttpHeaders request, HttpHeaders response) {
    if (origins == null) {
      response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY);
      return;
    }
    String origin = request.get(HttpHeaderNames.ORIGIN);
    if (origin != null && origins.contains(origin)) {
      response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
  }
}
