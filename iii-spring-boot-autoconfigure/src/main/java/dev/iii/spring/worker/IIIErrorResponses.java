package dev.iii.spring.worker;

import dev.iii.ApiResponse;
import dev.iii.IIIException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * How a failed {@code @IIIFunction} invocation is answered to an HTTP client, the way Spring Boot
 * answers a failed controller: a status taken from the exception and a body that, by default, tells
 * the client nothing it was not meant to see. Immutable and thread-safe.
 *
 * <p>The status comes from, in this order: an {@code ErrorResponse} (such as {@code
 * ResponseStatusException}); an exception class annotated with {@code @ResponseStatus}; an {@code
 * IIIException}'s code, by this table; else 500.
 *
 * <table>
 *   <caption>IIIException code → HTTP status</caption>
 *   <tr><th>code</th><th>status</th></tr>
 *   <tr><td>{@code invalid_argument}, {@code bad_request}</td><td>400</td></tr>
 *   <tr><td>{@code unauthenticated}, {@code unauthorized}</td><td>401</td></tr>
 *   <tr><td>{@code permission_denied}, {@code forbidden}</td><td>403</td></tr>
 *   <tr><td>{@code not_found}, {@code function_not_found}</td><td>404</td></tr>
 *   <tr><td>{@code conflict}, {@code already_exists}</td><td>409</td></tr>
 *   <tr><td>{@code payload_too_large}</td><td>413</td></tr>
 *   <tr><td>{@code resource_exhausted}, {@code too_many_requests}</td><td>429</td></tr>
 *   <tr><td>{@code unavailable}</td><td>503</td></tr>
 *   <tr><td>{@code timeout}</td><td>504</td></tr>
 *   <tr><td>any other</td><td>500</td></tr>
 * </table>
 *
 * <p>The body is {@code {"error": code, "status": status, "error_id": id}}, or with problem details
 * an RFC 9457 {@code application/problem+json} body ({@code type}, {@code title}, {@code status},
 * {@code detail}, and {@code code}, {@code error_id}). The error id is logged with the failure
 * (server errors at ERROR with the stack trace, client errors at DEBUG), so a client's report can
 * be found in the logs. A message is included only when it was written for the client (the reason
 * of a {@code ResponseStatusException} or {@code @ResponseStatus}, and the starter's own binding
 * messages) or when {@code includeMessage} is set; the exception's class name only when {@code
 * includeException} is set.
 */
public final class IIIErrorResponses {

  private static final Logger log = LoggerFactory.getLogger(IIIErrorResponses.class);

  private static final boolean SPRING_WEB =
      ClassUtils.isPresent(
          "org.springframework.web.ErrorResponse", IIIErrorResponses.class.getClassLoader());

  private static final IIIErrorResponses DEFAULTS =
      new IIIErrorResponses(false, false, false, null);

  private final boolean includeMessage;
  private final boolean includeException;
  private final boolean problemDetails;
  private final @Nullable IIIErrorHandler handler;

  /**
   * @param includeMessage whether every exception's message goes into the body ({@code
   *     iii.worker.http.include-message=always})
   * @param includeException whether the exception's class name goes into the body
   * @param problemDetails whether bodies are RFC 9457 problem details
   * @param handler the application's error handler, if any
   */
  public IIIErrorResponses(
      boolean includeMessage,
      boolean includeException,
      boolean problemDetails,
      @Nullable IIIErrorHandler handler) {
    this.includeMessage = includeMessage;
    this.includeException = includeException;
    this.problemDetails = problemDetails;
    this.handler = handler;
  }

  /** Safe defaults: no messages, no exception names, plain JSON bodies, no handler. */
  public static IIIErrorResponses defaults() {
    return DEFAULTS;
  }

  /** The HTTP status of an {@code IIIException} code, by the table above. */
  public static int status(String code) {
    return switch (code) {
      case "invalid_argument", "bad_request" -> 400;
      case "unauthenticated", "unauthorized" -> 401;
      case "permission_denied", "forbidden" -> 403;
      case "not_found", IIIException.FUNCTION_NOT_FOUND -> 404;
      case "conflict", "already_exists" -> 409;
      case IIIException.PAYLOAD_TOO_LARGE -> 413;
      case "resource_exhausted", "too_many_requests" -> 429;
      case IIIException.UNAVAILABLE -> 503;
      case IIIException.TIMEOUT -> 504;
      default -> 500;
    };
  }

  /** The application's handler applied to {@code error}; what it throws replaces the error. */
  Throwable handle(IIIFunctionEndpoint endpoint, Throwable error) {
    if (handler == null) {
      return error;
    }
    try {
      Throwable mapped = handler.handleError(endpoint, error);
      return mapped != null ? mapped : error;
    } catch (RuntimeException | Error thrown) {
      return thrown;
    }
  }

  /** The HTTP response for a failed invocation of {@code endpoint}; logs it with an error id. */
  ApiResponse httpResponse(IIIFunctionEndpoint endpoint, Throwable error) {
    int status = 500;
    String code = IIIException.INVOCATION_FAILED;
    String clientMessage = null;
    if (error instanceof IIIException iii) {
      code = iii.code();
      status = status(code);
      if (error instanceof BindingFailure) {
        clientMessage = iii.errorMessage();
      }
    } else if (SPRING_WEB) {
      SpringWeb web = SpringWeb.of(error);
      if (web != null) {
        status = web.status();
        clientMessage = web.reason();
        code = codeOf(status);
      }
    }
    String errorId = UUID.randomUUID().toString();
    if (status >= 500) {
      log.error(
          "Function {} ({}) failed with HTTP {} [error_id={}]",
          endpoint.id(),
          endpoint.source(),
          status,
          errorId,
          error);
    } else if (log.isDebugEnabled()) {
      log.debug(
          "Function {} answered HTTP {} [error_id={}]: {}",
          endpoint.id(),
          status,
          errorId,
          error.toString());
    }
    String message =
        includeMessage && error.getMessage() != null
            ? (error instanceof IIIException iii ? iii.errorMessage() : error.getMessage())
            : clientMessage;
    Map<String, Object> body = new LinkedHashMap<>();
    if (problemDetails) {
      body.put("type", "about:blank");
      body.put("title", reasonPhrase(status));
      body.put("status", status);
      if (message != null) {
        body.put("detail", message);
      }
      body.put("code", code);
    } else {
      body.put("error", code);
      body.put("status", status);
      if (message != null) {
        body.put("message", message);
      }
    }
    body.put("error_id", errorId);
    if (includeException) {
      body.put("exception", error.getClass().getName());
    }
    return problemDetails
        ? new ApiResponse(status, body, Map.of("content-type", "application/problem+json"))
        : new ApiResponse(status, body);
  }

  /** The code a status stands for in the body, when the exception has no code of its own. */
  static String codeOf(int status) {
    return switch (status) {
      case 400 -> "invalid_argument";
      case 401 -> "unauthenticated";
      case 403 -> "permission_denied";
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 413 -> IIIException.PAYLOAD_TOO_LARGE;
      case 429 -> "resource_exhausted";
      case 503 -> IIIException.UNAVAILABLE;
      case 504 -> IIIException.TIMEOUT;
      default -> status >= 500 ? IIIException.INVOCATION_FAILED : "http_" + status;
    };
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }

  /** What spring-web says of an exception; loaded only when spring-web is present. */
  private record SpringWeb(int status, @Nullable String reason) {

    static @Nullable SpringWeb of(Throwable error) {
      if (error instanceof ErrorResponse response) {
        return new SpringWeb(response.getStatusCode().value(), response.getBody().getDetail());
      }
      ResponseStatus annotated =
          AnnotatedElementUtils.findMergedAnnotation(error.getClass(), ResponseStatus.class);
      if (annotated != null) {
        String reason = annotated.reason();
        return new SpringWeb(annotated.code().value(), reason.isEmpty() ? null : reason);
      }
      return null;
    }
  }
}
