package dev.iii.schema;

import com.fasterxml.classmate.ResolvedType;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.MemberScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jackson.JacksonSchemaModule;
import dev.iii.protocol.RawJson;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.URL;
import java.time.MonthDay;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.introspect.ClassIntrospector;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes one schema with victools' generator, set up the iii way: draft 2020-12 with {@code
 * $schema}; the properties the mapper sees, under the names and in the order it writes them; enums
 * as string enums; {@code java.time} types as strings with formats; nested object types in {@code
 * $defs}.
 *
 * <p>Immutable and thread-safe: every {@link #generate} builds its own victools generator, because
 * victools' type context is not thread-safe and would keep every type it ever saw.
 */
final class SchemaGeneration implements JsonSchemas.Generator {

  private final ObjectMapper mapper;
  private final Map<Class<?>, Type> substitutes;

  SchemaGeneration(ObjectMapper mapper, Map<Class<?>, Type> substitutes) {
    this.mapper = mapper;
    this.substitutes = Map.copyOf(substitutes);
  }

  @Override
  public @Nullable ObjectNode generate(Type type) {
    MapperView view = new MapperView(mapper);
    SchemaGeneratorConfigBuilder builder =
        new SchemaGeneratorConfigBuilder(
                mapper, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(Option.DEFINITIONS_FOR_ALL_OBJECTS, Option.PLAIN_DEFINITION_KEYS);
    // Registered before the modules, so these come first.
    builder
        .forTypesInGeneral()
        .withCustomDefinitionProvider(
            (javaType, context) -> customDefinition(javaType, context, view))
        .withPropertySorter(view::compareProperties);
    builder.forFields().withPropertyNameOverrideResolver(view::propertyName);
    builder.forFields().withNullableCheck(SchemaGeneration::primitiveOptional);
    builder.with(
        new JacksonSchemaModule(
            JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE,
            JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY,
            JacksonOption.RESPECT_JSONPROPERTY_REQUIRED));
    ObjectNode schema = new SchemaGenerator(builder.build()).generateSchema(type);
    if (schema.size() == 1 && schema.has("$schema")) {
      return null; // any value: no schema, as the Python SDK gives none for Any
    }
    return schema;
  }

  /** Schemas victools would get wrong for how Jackson writes these types, or {@code null}. */
  private @Nullable CustomDefinition customDefinition(
      ResolvedType javaType, SchemaGenerationContext context, MapperView view) {
    Class<?> raw = javaType.getErasedType();
    Type substitute = substitutes.get(raw);
    if (substitute != null) {
      ResolvedType target = context.getTypeContext().resolve(substitute);
      return sameAs(target, context);
    }
    ObjectNode fixed = fixedSchema(raw);
    if (fixed != null) {
      return inline(fixed);
    }
    if (raw == Optional.class) {
      List<ResolvedType> parameters = javaType.typeParametersFor(Optional.class);
      ResolvedType value = parameters == null || parameters.isEmpty() ? null : parameters.get(0);
      return value == null ? inline(mapper.createObjectNode()) : sameAs(value, context);
    }
    if (Map.class.isAssignableFrom(raw)) {
      return inline(mapSchema(javaType, context));
    }
    if (raw.isEnum()) {
      ObjectNode values = enumSchema(raw);
      return values == null ? null : new CustomDefinition(values);
    }
    if (raw.isPrimitive() || raw.isArray() || raw.getName().startsWith("java.")) {
      return null;
    }
    if (view.hasCustomSerializer(raw)) {
      return inline(mapper.createObjectNode()); // written by code we cannot see: any value
    }
    Type valueType = view.jsonValueType(raw);
    if (valueType != null) {
      return sameAs(context.getTypeContext().resolve(valueType), context);
    }
    return null;
  }

  /** An object whose values have the map's value schema ({@code Object}: any values). */
  private ObjectNode mapSchema(ResolvedType javaType, SchemaGenerationContext context) {
    ObjectNode schema = typed("object");
    List<ResolvedType> parameters = javaType.typeParametersFor(Map.class);
    ResolvedType value = parameters == null || parameters.size() < 2 ? null : parameters.get(1);
    if (value != null && value.getErasedType() != Object.class) {
      schema.set("additionalProperties", context.createDefinitionReference(value));
    }
    return schema;
  }

  /**
   * A string (or integer) enum of what the mapper writes for each constant, so {@code
   * JsonProperty}, {@code JsonValue} and the mapper's enum features count; {@code null} when the
   * constants are written otherwise (as objects, say), for victools to describe.
   */
  private @Nullable ObjectNode enumSchema(Class<?> type) {
    Object[] constants = type.getEnumConstants();
    if (constants == null || constants.length == 0) {
      return null;
    }
    ArrayNode values = mapper.createArrayNode();
    String jsonType = null;
    for (Object constant : constants) {
      JsonNode value;
      try {
        value = mapper.valueToTree(constant);
      } catch (RuntimeException e) {
        return null;
      }
      String valueType = value.isString() ? "string" : value.isIntegralNumber() ? "integer" : null;
      if (valueType == null || (jsonType != null && !jsonType.equals(valueType))) {
        return null;
      }
      jsonType = valueType;
      values.add(value);
    }
    ObjectNode schema = typed(Objects.requireNonNull(jsonType));
    schema.set("enum", values);
    return schema;
  }

  /**
   * The schema of {@code target}, wherever the type asked for occurs. Victools fills a reference
   * node only at the end, and would copy it empty if it were the definition itself, so the
   * reference goes in an {@code allOf} of one, which victools' clean-up folds away.
   */
  private CustomDefinition sameAs(ResolvedType target, SchemaGenerationContext context) {
    ObjectNode schema = mapper.createObjectNode();
    schema.putArray("allOf").add(context.createDefinitionReference(target));
    return new CustomDefinition(
        schema, CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.NO);
  }

  private static CustomDefinition inline(ObjectNode schema) {
    return new CustomDefinition(
        schema, CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.YES);
  }

  /** The schema of a type Jackson writes as a scalar or as any JSON, or {@code null}. */
  private @Nullable ObjectNode fixedSchema(Class<?> raw) {
    if (raw == Void.class || raw == void.class) {
      return typed("null");
    }
    if (raw == byte[].class) {
      return typed("string").put("contentEncoding", "base64");
    }
    if (raw == Byte.class || raw == byte.class) {
      return typed("integer");
    }
    if (JsonNode.class.isAssignableFrom(raw)) {
      if (ObjectNode.class.isAssignableFrom(raw)) {
        return typed("object");
      }
      return ArrayNode.class.isAssignableFrom(raw) ? typed("array") : mapper.createObjectNode();
    }
    if (raw == RawJson.class) {
      return mapper.createObjectNode();
    }
    String scalar = SCALARS.get(raw);
    if (scalar != null) {
      return typed(scalar);
    }
    if (raw == URL.class) {
      return typed("string").put("format", "uri");
    }
    return null;
  }

  private ObjectNode typed(String jsonType) {
    return mapper.createObjectNode().put("type", jsonType);
  }

  /** Scalar types victools does not know, with the JSON type Jackson writes them as. */
  private static final Map<Class<?>, String> SCALARS =
      Map.ofEntries(
          Map.entry(Year.class, "integer"),
          Map.entry(YearMonth.class, "string"),
          Map.entry(MonthDay.class, "string"),
          Map.entry(ZoneOffset.class, "string"),
          Map.entry(Locale.class, "string"),
          Map.entry(Currency.class, "string"),
          Map.entry(OptionalInt.class, "integer"),
          Map.entry(OptionalLong.class, "integer"),
          Map.entry(OptionalDouble.class, "number"),
          Map.entry(AtomicInteger.class, "integer"),
          Map.entry(AtomicLong.class, "integer"),
          Map.entry(AtomicBoolean.class, "boolean"));

  /** Fields of {@code OptionalInt} and its kind may be null, as {@code Optional} fields may. */
  private static @Nullable Boolean primitiveOptional(FieldScope field) {
    Class<?> raw = field.getDeclaredType().getErasedType();
    return raw == OptionalInt.class || raw == OptionalLong.class || raw == OptionalDouble.class
        ? Boolean.TRUE
        : null;
  }

  /**
   * What the mapper's own introspection says of a class: the names and order of its properties, its
   * {@code @JsonValue}, its custom serialiser. Used by one generation, on one thread.
   */
  private static final class MapperView {

    private final ObjectMapper mapper;
    private final Map<Class<?>, BeanDescription> descriptions = new HashMap<>();

    MapperView(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    private BeanDescription describe(Class<?> type) {
      return descriptions.computeIfAbsent(
          type,
          t -> {
            ClassIntrospector introspector =
                mapper.serializationConfig().classIntrospectorInstance();
            var javaType = mapper.getTypeFactory().constructType(t);
            return introspector.introspectForSerialization(
                javaType, introspector.introspectClassAnnotations(javaType));
          });
    }

    /** The properties of the class whose schema holds {@code member}, as the mapper lists them. */
    private List<BeanPropertyDefinition> properties(MemberScope<?, ?> member) {
      Class<?> owner =
          member.getDeclaringTypeMembers().allTypesAndOverrides().get(0).getErasedType();
      return describe(owner).findProperties();
    }

    /** The name the mapper writes a field under (naming strategy, {@code @JsonProperty}…). */
    @Nullable String propertyName(FieldScope field) {
      String declared = field.getDeclaredName();
      for (BeanPropertyDefinition property : properties(field)) {
        if (property.getInternalName().equals(declared)) {
          return property.getName();
        }
      }
      return null;
    }

    /** Properties in the order the mapper writes them; ones it does not know come last. */
    int compareProperties(MemberScope<?, ?> first, MemberScope<?, ?> second) {
      return Integer.compare(position(first), position(second));
    }

    private int position(MemberScope<?, ?> member) {
      List<BeanPropertyDefinition> properties = properties(member);
      String name = member.getSchemaPropertyName();
      for (int i = 0; i < properties.size(); i++) {
        if (properties.get(i).getName().equals(name)) {
          return i;
        }
      }
      return Integer.MAX_VALUE;
    }

    /** Whether the class names its own serialiser ({@code @JsonSerialize(using = …)}). */
    boolean hasCustomSerializer(Class<?> type) {
      Object serializer =
          mapper
              .serializationConfig()
              .getAnnotationIntrospector()
              .findSerializer(mapper.serializationConfig(), describe(type).getClassInfo());
      return serializer != null
          && !(serializer instanceof Class<?> c && c == ValueSerializer.None.class);
    }

    /** The type of the class's {@code @JsonValue} member, which Jackson writes instead, or null. */
    @Nullable Type jsonValueType(Class<?> type) {
      AnnotatedMember member = describe(type).findJsonValueAccessor();
      if (member == null) {
        return null;
      }
      if (member.getMember() instanceof Method method) {
        return method.getGenericReturnType();
      }
      if (member.getMember() instanceof Field field) {
        return field.getGenericType();
      }
      return null;
    }
  }
}
