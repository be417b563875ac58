package dev.iii.protocol;

import java.io.ByteArrayOutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two messages of every call — {@code invokefunction} and {@code invocationresult} — read and
 * written with Jackson's streaming API instead of data binding, which costs several times more per
 * message. Writing gives the same bytes as data binding. Reading takes only the usual shape (a
 * {@code type} first, each member once, each of the expected kind) and answers {@code null} for
 * anything else, so that data binding reads it and reports its errors exactly as for any message.
 * Stateless and thread-safe.
 */
final class HotMessages {

  private final JsonMapper mapper;

  HotMessages(JsonMapper mapper) {
    this.mapper = mapper;
  }

  byte[] encode(InvokeFunction message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128 + message.data().byteLength());
    try (JsonGenerator gen = mapper.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringProperty("type", "invokefunction");
      if (message.invocationId() != null) {
        gen.writeStringProperty("invocation_id", message.invocationId());
      }
      gen.writeStringProperty("function_id", message.functionId());
      gen.writeName("data");
      gen.writeRawValue(message.data().asSerializable());
      if (message.traceparent() != null) {
        gen.writeStringProperty("traceparent", message.traceparent());
      }
      if (message.baggage() != null) {
        gen.writeStringProperty("baggage", message.baggage());
      }
      InvocationAction action = message.action();
      if (action != null) {
        gen.writeName("action");
        gen.writeStartObject();
        gen.writeStringProperty("type", action.type());
        if (action.queue() != null) {
          gen.writeStringProperty("queue", action.queue());
        }
        gen.writeEndObject();
      }
      RawJson metadata = message.metadata();
      if (metadata != null) {
        gen.writeName("metadata");
        gen.writeRawValue(metadata.asSerializable());
      }
      if (message.namespace() != null) {
        gen.writeStringProperty("namespace", message.namespace());
      }
      gen.writeEndObject();
    }
    return out.toByteArray();
  }

  byte[] encode(InvocationResult message) {
    RawJson result = message.result();
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(128 + (result == null ? 0 : result.byteLength()));
    try (JsonGenerator gen = mapper.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringProperty("type", "invocationresult");
      gen.writeStringProperty("invocation_id", message.invocationId());
      gen.writeStringProperty("function_id", message.functionId());
      if (result != null) {
        gen.writeName("result");
        gen.writeRawValue(result.asSerializable());
      }
      ErrorBody error = message.error();
      if (error != null) {
        gen.writeName("error");
        gen.writeStartObject();
        gen.writeStringProperty("code", error.code());
        gen.writeStringProperty("message", error.message());
        if (error.stacktrace() != null) {
          gen.writeStringProperty("stacktrace", error.stacktrace());
        }
        gen.writeEndObject();
      }
      if (message.traceparent() != null) {
        gen.writeStringProperty("traceparent", message.traceparent());
      }
      if (message.baggage() != null) {
        gen.writeStringProperty("baggage", message.baggage());
      }
      gen.writeEndObject();
    }
    return out.toByteArray();
  }

  /**
   * Reads a frame of the usual shape of the two call messages.
   *
   * @return the message, or {@code null} when data binding must read the frame
   */
  @Nullable Message decode(byte[] frame) {
    try (JsonParser parser = mapper.createParser(frame)) {
      if (parser.nextToken() != JsonToken.START_OBJECT
          || parser.nextToken() != JsonToken.PROPERTY_NAME
          || !"type".equals(parser.currentName())
          || parser.nextToken() != JsonToken.VALUE_STRING) {
        return null;
      }
      return switch (parser.getString()) {
        case "invokefunction" -> readInvoke(parser, frame);
        case "invocationresult" -> readResult(parser, frame);
        default -> null;
      };
    } catch (RuntimeException e) {
      return null; // data binding reads it again and reports what is wrong
    }
  }

  private static @Nullable InvokeFunction readInvoke(JsonParser parser, byte[] frame) {
    String invocationId = null;
    String functionId = null;
    RawJson data = null;
    String traceparent = null;
    String baggage = null;
    InvocationAction action = null;
    RawJson metadata = null;
    String namespace = null;
    int seen = 0;
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      int bit;
      switch (name) {
        case "invocation_id" -> {
          bit = 1;
          invocationId = optionalString(parser, value);
          if (invocationId == null && value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "function_id" -> {
          bit = 2;
          if (value != JsonToken.VALUE_STRING) {
            return null;
          }
          functionId = parser.getString();
        }
        case "data" -> {
          bit = 4;
          data = RawJson.slice(parser, frame);
        }
        case "traceparent" -> {
          bit = 8;
          traceparent = optionalString(parser, value);
          if (traceparent == null && value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "baggage" -> {
          bit = 16;
          baggage = optionalString(parser, value);
          if (baggage == null && value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "action" -> {
          bit = 32;
          if (value == JsonToken.START_OBJECT) {
            action = readAction(parser);
            if (action == null) {
              return null;
            }
          } else if (value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "metadata" -> {
          bit = 64;
          metadata = RawJson.slice(parser, frame);
        }
        case "namespace" -> {
          bit = 128;
          namespace = optionalString(parser, value);
          if (namespace == null && value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "type" -> {
          return null;
        }
        default -> {
          bit = 0;
          parser.skipChildren(); // unknown members are ignored, as data binding does
        }
      }
      if ((seen & bit) != 0) {
        return null; // a member twice
      }
      seen |= bit;
    }
    if (functionId == null || data == null) {
      return null; // missing: data binding says which
    }
    return new InvokeFunction(
        invocationId, functionId, data, traceparent, baggage, action, metadata, namespace);
  }

  private static @Nullable InvocationResult readResult(JsonParser parser, byte[] frame) {
    String invocationId = null;
    String functionId = null;
    RawJson result = null;
    ErrorBody error = null;
    String traceparent = null;
    String baggage = null;
    int seen = 0;
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      int bit;
      switch (name) {
        case "invocation_id" -> {
          bit = 1;
          if (value != JsonToken.VALUE_STRING) {
            return null;
          }
          invocationId = parser.getString();
        }
        case "function_id" -> {
          bit = 2;
          if (value != JsonToken.VALUE_STRING) {
            return null;
          }
          functionId = parser.getString();
        }
        case "result" -> {
          bit = 4;
          result = RawJson.slice(parser, frame);
        }
        case "error" -> {
          bit = 8;
          if (value == JsonToken.START_OBJECT) {
            error = readError(parser);
            if (error == null) {
              return null;
            }
          } else if (value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "traceparent" -> {
          bit = 16;
          traceparent = optionalString(parser, value);
          if (traceparent == null && value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "baggage" -> {
          bit = 32;
          baggage = optionalString(parser, value);
          if (baggage == null && value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "type" -> {
          return null;
        }
        default -> {
          bit = 0;
          parser.skipChildren();
        }
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
    }
    if (invocationId == null || functionId == null) {
      return null;
    }
    return new InvocationResult(invocationId, functionId, result, error, traceparent, baggage);
  }

  private static @Nullable InvocationAction readAction(JsonParser parser) {
    String type = null;
    String queue = null;
    int seen = 0;
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      int bit;
      if (name.equals("type")) {
        bit = 1;
        if (value != JsonToken.VALUE_STRING) {
          return null;
        }
        type = parser.getString();
      } else if (name.equals("queue")) {
        bit = 2;
        queue = optionalString(parser, value);
        if (queue == null && value != JsonToken.VALUE_NULL) {
          return null;
        }
      } else {
        bit = 0;
        parser.skipChildren();
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
    }
    return type == null ? null : new InvocationAction(type, queue);
  }

  private static @Nullable ErrorBody readError(JsonParser parser) {
    String code = null;
    String message = null;
    String stacktrace = null;
    int seen = 0;
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      int bit;
      switch (name) {
        case "code" -> {
          bit = 1;
          if (value != JsonToken.VALUE_STRING) {
            return null;
          }
          code = parser.getString();
        }
        case "message" -> {
          bit = 2;
          if (value != JsonToken.VALUE_STRING) {
            return null;
          }
          message = parser.getString();
        }
        case "stacktrace" -> {
          bit = 4;
          stacktrace = optionalString(parser, value);
          if (stacktrace == null && value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        default -> {
          bit = 0;
          parser.skipChildren();
        }
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
    }
    return code == null || message == null ? null : new ErrorBody(code, message, stacktrace);
  }

  /** The string, or {@code null} for JSON null and for anything else (the caller tells which). */
  private static @Nullable String optionalString(JsonParser parser, JsonToken value) {
    return value == JsonToken.VALUE_STRING ? parser.getString() : null;
  }
}
