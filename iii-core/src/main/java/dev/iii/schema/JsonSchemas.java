package dev.iii.schema;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Schemas of Java types, for a function's {@code request_format} and {@code response_format}
 * (shown by {@code engine::functions::info} as {@code request_schema} and {@code response_schema}).
 *
 * <p>Concurrency: thread-safe; a schema is made once per class and kept with the class (callers
 * racing on a class's first call may each make it; one result is kept), or once per other type for
 * up to {@value #MAX_CACHED_TYPES} types (a few more when callers race; beyond that made again on
 * each call), and every call returns a copy of its own.
 *
 * <pre>{@code
 * record Greeting(@JsonPropertyDescription("who to greet") String name, Optional<String> title) {}
 *
 * JsonNode schema = JsonSchemas.forClass(Greeting.class);
 * // {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
 * //  "properties":{"name":{"type":"string","description":"who to greet"},
 * //                "title":{"type":["string","null"]}}}
 * }</pre>
 *
 * <p>Schemas follow JSON Schema draft 2020-12 and carry {@code $schema}, as the official Python SDK
 * emits them. They describe the JSON the mapper writes:
 *
 * <ul>
 *   <li>records and classes: an object of the properties Jackson sees (record components, fields
 *       with getters, public fields), under the names Jackson writes ({@code @JsonProperty},
 *       {@code @JsonNaming}, the mapper's naming strategy) and in its order; {@code @JsonIgnore}d
 *       ones left out; {@code @JsonPropertyDescription} and {@code @JsonClassDescription} as {@code
 *       description}; {@code @JsonProperty(required = true)} in {@code required} (nothing else is
 *       required). The schema's own type is inline; the object and enum types inside it are in
 *       {@code $defs}, referenced with {@code $ref} ({@code "#"} for the type itself);
 *   <li>collections and arrays as {@code array} with {@code items}; maps as {@code object} with
 *       {@code additionalProperties} of the value's schema; {@code Optional<T>} as {@code T}, and a
 *       property of that type as nullable;
 *   <li>enums as {@code string} (or {@code integer}) enums of what Jackson writes for each constant
 *       ({@code @JsonProperty}, {@code @JsonValue});
 *   <li>primitives and their boxes, {@code BigInteger} and {@code BigDecimal} as {@code integer},
 *       {@code number}, {@code boolean} or {@code string}; {@code Instant}, {@code OffsetDateTime}
 *       and {@code ZonedDateTime} as strings of format {@code date-time}, {@code LocalDate} {@code
 *       date}, {@code LocalTime} {@code time}, {@code Duration} {@code duration}, {@code UUID}
 *       {@code uuid}, {@code URI} {@code uri}; {@code LocalDateTime} as a plain string (it is no
 *       RFC 3339 date-time); {@code byte[]} as a base64 string;
 *   <li>a class with a {@code @JsonValue} as that value (so a channel end is a channel ref); one
 *       with its own serialiser ({@code @JsonSerialize(using = …)}) as any value;
 *       {@code @JsonTypeInfo} hierarchies as an {@code anyOf} of their subtypes.
 * </ul>
 *
 * <p>Types that are not data get no schema, as {@code Any} gets none from the Python SDK: for
 * {@code Object}, {@code JsonNode} and anything else that allows any JSON, {@link #schemaFor}
 * returns {@code null}. {@code Map<String, Object>} is {@code {"type":"object"}}, {@code
 * List<Object>} {@code {"type":"array","items":{}}}, and {@code void}/{@code Void} {@code
 * {"type":"null"}} (Python's {@code None}). Inside a schema, a property of any value has the empty
 * schema {@code {}}.
 *
 * <p>A type that cannot be described (the generator fails on it) gets {@code null}, logged at
 * DEBUG: describing a function never stops it being registered.
 *
 * <p>Not described: properties Jackson finds through getters alone (computed values) and setters
 * alone; serialisers registered on the mapper rather than on the class (see {@link
 * Builder#treatAs}); mapper settings that change how values are written (dates as timestamps, enums
 * by index).
 */
public final class JsonSchemas {

  /** The {@code $schema} of every schema made here: JSON Schema draft 2020-12. */
  public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

  /** How many types other than classes (such as {@code List<Foo>}) one instance caches. */
  public static final int MAX_CACHED_TYPES = 256;

  private static final Logger log = LoggerFactory.getLogger(JsonSchemas.class);

  private static final JsonSchemas DEFAULTS = builder().build();

  /** Makes the schema of one type; {@code null} for none. */
  @FunctionalInterface
  interface Generator {
    @Nullable ObjectNode generate(Type type);
  }

  private final Generator generator;

  private final ClassValue<Optional<ObjectNode>> byClass =
      new ClassValue<>() {
        @Override
        protected Optional<ObjectNode> computeValue(Class<?> type) {
          return make(type);
        }
      };

  private final Map<Type, Optional<ObjectNode>> byType = new ConcurrentHashMap<>();

  JsonSchemas(Generator generator) {
    this.generator = generator;
  }

  /**
   * The schema of {@code type} made with the default mapper (see {@link #defaults()}).
   *
   * @param type a class or a generic type, such as a method's generic parameter type
   * @return a new schema the caller may change, or {@code null} for none (any value, or a type that
   *     cannot be described)
   */
  public static @Nullable JsonNode forType(Type type) {
    return DEFAULTS.schemaFor(type);
  }

  /**
   * The schema of {@code type} made with the default mapper (see {@link #defaults()}).
   *
   * @return a new schema the caller may change, or {@code null} for none
   */
  public static @Nullable JsonNode forClass(Class<?> type) {
    return DEFAULTS.schemaFor(type);
  }

  /**
   * The shared instance behind {@link #forType} and {@link #forClass}: a default {@code
   * JsonMapper}, no substitutes.
   */
  public static JsonSchemas defaults() {
    return DEFAULTS;
  }

  /** A builder, to describe types as a particular mapper writes them. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The schema of {@code type}.
   *
   * @param type a class or a generic type, such as {@code method.getGenericParameterTypes()[0]}
   * @return a new schema the caller may change, or {@code null} for none (any value, or a type that
   *     cannot be described)
   */
  public @Nullable JsonNode schemaFor(Type type) {
    Objects.requireNonNull(type, "type");
    Optional<ObjectNode> schema = type instanceof Class<?> c ? byClass.get(c) : cached(type);
    return schema.map(ObjectNode::deepCopy).orElse(null);
  }

  /** How many types other than classes this instance holds schemas of; for tests. */
  int cachedTypes() {
    return byType.size();
  }

  private Optional<ObjectNode> cached(Type type) {
    Optional<ObjectNode> schema = byType.get(type);
    if (schema != null) {
      return schema;
    }
    if (byType.size() >= MAX_CACHED_TYPES) {
      return make(type);
    }
    return byType.computeIfAbsent(type, this::make);
  }

  private Optional<ObjectNode> make(Type type) {
    try {
      return Optional.ofNullable(generator.generate(type));
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      log.debug("no JSON Schema for {}", type.getTypeName(), e);
      return Optional.empty();
    }
  }

  /**
   * Sets up a {@link JsonSchemas}. Concurrency: for one thread; the instance it builds is
   * thread-safe.
   */
  public static final class Builder {

    private @Nullable ObjectMapper mapper;
    private final Map<Class<?>, Type> substitutes = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The mapper whose view of types the schemas follow (property names and order, visibility,
     * {@code @JsonValue}…): the one that reads inputs and writes results. Default: a default {@code
     * JsonMapper}.
     */
    public Builder mapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Describes {@code type}, wherever it occurs, as {@code as}: for types the mapper writes
     * through a serialiser of a module, which the schema cannot see.
     *
     * @param type the class to replace, matched exactly (not its subclasses)
     * @param as the type whose schema to use instead; {@code Object.class} for any value
     */
    public Builder treatAs(Class<?> type, Type as) {
      substitutes.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(as, "as"));
      return this;
    }

    /** A new instance, with a cache of its own. */
    public JsonSchemas build() {
      ObjectMapper chosen = mapper != null ? mapper : JsonMapper.builder().build();
      return new JsonSchemas(new SchemaGeneration(chosen, substitutes));
    }
  }
}
