package dev.iii.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.iii.ApiRequest;
import dev.iii.protocol.ChannelRef;
import dev.iii.protocol.RawJson;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.std.ToStringSerializer;

/** The schemas made for each kind of type, compared as JSON trees. */
class JsonSchemasTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** A type argument captured from a subclass, as Jackson's TypeReference does. */
  abstract static class TypeOf<T> {
    Type type() {
      return ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
    }
  }

  /** The expected schema: {@code $schema} plus the given members, JSON with ' for ". */
  static JsonNode schema(String members) {
    String body = members.replace('\'', '"').strip();
    return MAPPER.readTree(
        "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\""
            + (body.isEmpty() ? "" : "," + body)
            + "}");
  }

  record Greeting(@JsonPropertyDescription("who to greet") String name, Optional<String> title) {}

  @Test
  void theExampleOfTheJavadoc() {
    assertThat(JsonSchemas.forClass(Greeting.class))
        .isEqualTo(
            MAPPER.readTree(
                """
                {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
                 "properties":{"name":{"type":"string","description":"who to greet"},
                               "title":{"type":["string","null"]}}}
                """));
  }

  // ---- records and POJOs ------------------------------------------------------------------------

  record Address(String street, @JsonProperty(required = true) String city) {}

  @JsonClassDescription("Someone to greet")
  record Person(
      @JsonProperty("full_name") @JsonPropertyDescription("first and last name") String name,
      int age,
      @JsonIgnore String secret,
      Address home) {}

  @Test
  void recordIsAnObjectOfItsComponentsAsJacksonNamesThem() {
    assertThat(JsonSchemas.forClass(Person.class))
        .isEqualTo(
            schema(
                """
                '$defs': {'Address': {'type': 'object',
                    'properties': {'street': {'type': 'string'}, 'city': {'type': 'string'}},
                    'required': ['city']}},
                'type': 'object',
                'description': 'Someone to greet',
                'properties': {
                  'full_name': {'type': 'string', 'description': 'first and last name'},
                  'age': {'type': 'integer'},
                  'home': {'$ref': '#/$defs/Address'}}
                """));
  }

  @Test
  void propertiesComeInTheOrderJacksonWritesThem() {
    JsonNode schema = JsonSchemas.forClass(Ordered.class);

    assertThat(schema).isNotNull();
    assertThat(schema.get("properties").propertyNames()).containsExactly("z", "a", "m");
  }

  @JsonPropertyOrder({"z", "a"})
  record Ordered(String a, String m, String z) {}

  /** Jackson sees public fields and fields with getters; not bare private ones, nor ignored. */
  static class Pojo {
    private String visible = "";

    @SuppressWarnings("unused")
    private String hidden = "";

    public int count;
    @JsonIgnore public int ignored;

    @JsonPropertyDescription("shown")
    public String getVisible() {
      return visible;
    }
  }

  static class Derived extends Pojo {
    public boolean extra;
  }

  @Test
  void pojoHasTheJacksonVisiblePropertiesOnly() {
    assertThat(JsonSchemas.forClass(Pojo.class))
        .isEqualTo(
            schema(
                """
                'type': 'object',
                'properties': {'count': {'type': 'integer'},
                               'visible': {'type': 'string', 'description': 'shown'}}
                """));
    assertThat(JsonSchemas.forClass(Derived.class))
        .isEqualTo(
            schema(
                """
                'type': 'object',
                'properties': {'count': {'type': 'integer'},
                               'extra': {'type': 'boolean'},
                               'visible': {'type': 'string', 'description': 'shown'}}
                """));
  }

  record Snake(String firstName, int ageYears) {}

  @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
  record Kebab(String firstName) {}

  @Test
  void namesFollowTheMappersNamingStrategyAndJsonNaming() {
    JsonSchemas snakeCase =
        JsonSchemas.builder()
            .mapper(
                JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .build())
            .build();

    assertThat(snakeCase.schemaFor(Snake.class))
        .isEqualTo(
            schema(
                """
                'type': 'object',
                'properties': {'first_name': {'type': 'string'}, 'age_years': {'type': 'integer'}}
                """));
    assertThat(JsonSchemas.forClass(Snake.class).get("properties").propertyNames())
        .containsExactly("firstName", "ageYears");
    assertThat(JsonSchemas.forClass(Kebab.class).get("properties").propertyNames())
        .containsExactly("first-name");
  }

  // ---- generics -------------------------------------------------------------------------------

  record Page<T>(List<T> items, int total) {}

  record Catalog(Page<Address> addresses, Map<String, Address> byName, Set<String> tags) {}

  private static final String ADDRESS_DEF =
      """
      'Address': {'type': 'object',
          'properties': {'street': {'type': 'string'}, 'city': {'type': 'string'}},
          'required': ['city']}
      """;

  @Test
  void listOfRecordIsAnArrayOfReferences() {
    assertThat(JsonSchemas.forType(new TypeOf<List<Address>>() {}.type()))
        .isEqualTo(
            schema(
                "'$defs': {"
                    + ADDRESS_DEF
                    + "}, 'type': 'array', 'items': {'$ref': '#/$defs/Address'}"));
  }

  @Test
  void mapOfStringToRecordIsAnObjectOfAdditionalProperties() {
    assertThat(JsonSchemas.forType(new TypeOf<Map<String, Address>>() {}.type()))
        .isEqualTo(
            schema(
                "'$defs': {"
                    + ADDRESS_DEF
                    + "}, 'type': 'object', 'additionalProperties': {'$ref': '#/$defs/Address'}"));
  }

  @Test
  void optionalIsItsValue() {
    assertThat(JsonSchemas.forType(new TypeOf<Optional<String>>() {}.type()))
        .isEqualTo(schema("'type': 'string'"));
    assertThat(JsonSchemas.forType(new TypeOf<Optional<Address>>() {}.type()))
        .isEqualTo(schema("'$defs': {" + ADDRESS_DEF + "}, '$ref': '#/$defs/Address'"));
  }

  record WithOptionals(
      Optional<String> nickname, List<Optional<Integer>> scores, Map<String, Optional<Long>> ids) {}

  @Test
  void optionalPropertyIsNullableAndOptionalElementsAreTheirValues() {
    assertThat(JsonSchemas.forClass(WithOptionals.class))
        .isEqualTo(
            schema(
                """
                'type': 'object',
                'properties': {
                  'nickname': {'type': ['string', 'null']},
                  'scores': {'type': 'array', 'items': {'type': 'integer'}},
                  'ids': {'type': 'object', 'additionalProperties': {'type': 'integer'}}}
                """));
  }

  @Test
  void genericRecordsGetADefinitionPerTypeArgument() {
    assertThat(JsonSchemas.forClass(Catalog.class))
        .isEqualTo(
            schema(
                "'$defs': {"
                    + ADDRESS_DEF
                    + """
                    , 'Page_Address_': {'type': 'object', 'properties': {
                        'items': {'type': 'array', 'items': {'$ref': '#/$defs/Address'}},
                        'total': {'type': 'integer'}}}},
                    'type': 'object',
                    'properties': {
                      'addresses': {'$ref': '#/$defs/Page_Address_'},
                      'byName': {'type': 'object',
                                 'additionalProperties': {'$ref': '#/$defs/Address'}},
                      'tags': {'type': 'array', 'items': {'type': 'string'}}}
                    """));
  }

  @Test
  void unboundTypeVariablesAreAnyValue() {
    assertThat(JsonSchemas.forClass(Page.class))
        .isEqualTo(
            schema(
                """
                'type': 'object',
                'properties': {'items': {'type': 'array', 'items': {}}, 'total': {'type': 'integer'}}
                """));
  }

  // ---- nested types and $defs -----------------------------------------------------------------

  record Trip(Address from, Address to, @JsonPropertyDescription("stops on the way") Stop stop) {}

  record Stop(Address at, int minutes) {}

  @Test
  void aTypeUsedInManyPlacesIsDefinedOnceAndReferenced() {
    assertThat(JsonSchemas.forClass(Trip.class))
        .isEqualTo(
            schema(
                "'$defs': {"
                    + ADDRESS_DEF
                    + """
                    , 'Stop': {'type': 'object', 'properties': {
                        'at': {'$ref': '#/$defs/Address'}, 'minutes': {'type': 'integer'}}}},
                    'type': 'object',
                    'properties': {
                      'from': {'$ref': '#/$defs/Address'},
                      'to': {'$ref': '#/$defs/Address'},
                      'stop': {'$ref': '#/$defs/Stop', 'description': 'stops on the way'}}
                    """));
  }

  record Tree(String name, List<Tree> children) {}

  @Test
  void aRecursiveTypeRefersToTheRoot() {
    assertThat(JsonSchemas.forClass(Tree.class))
        .isEqualTo(
            schema(
                """
                'type': 'object',
                'properties': {'name': {'type': 'string'},
                               'children': {'type': 'array', 'items': {'$ref': '#'}}}
                """));
  }

  // ---- enums ----------------------------------------------------------------------------------

  enum Plain {
    RED,
    GREEN
  }

  enum Renamed {
    @JsonProperty("red")
    RED,
    GREEN
  }

  enum Coded {
    ONE("1st"),
    TWO("2nd");

    private final String code;

    Coded(String code) {
      this.code = code;
    }

    @JsonValue
    String code() {
      return code;
    }
  }

  enum Numbered {
    LOW(1),
    HIGH(9);

    private final int level;

    Numbered(int level) {
      this.level = level;
    }

    @JsonValue
    int level() {
      return level;
    }
  }

  @Test
  void enumsAreEnumsOfWhatJacksonWrites() {
    assertThat(JsonSchemas.forClass(Plain.class))
        .isEqualTo(schema("'type': 'string', 'enum': ['RED', 'GREEN']"));
    assertThat(JsonSchemas.forClass(Renamed.class))
        .isEqualTo(schema("'type': 'string', 'enum': ['red', 'GREEN']"));
    assertThat(JsonSchemas.forClass(Coded.class))
        .isEqualTo(schema("'type': 'string', 'enum': ['1st', '2nd']"));
    assertThat(JsonSchemas.forClass(Numbered.class))
        .isEqualTo(schema("'type': 'integer', 'enum': [1, 9]"));
  }

  record Palette(Plain main, List<Plain> others) {}

  @Test
  void anEnumUsedTwiceIsDefinedOnce() {
    assertThat(JsonSchemas.forClass(Palette.class))
        .isEqualTo(
            schema(
                """
                '$defs': {'Plain': {'type': 'string', 'enum': ['RED', 'GREEN']}},
                'type': 'object',
                'properties': {'main': {'$ref': '#/$defs/Plain'},
                               'others': {'type': 'array', 'items': {'$ref': '#/$defs/Plain'}}}
                """));
  }

  // ---- primitives, boxes, java.time -----------------------------------------------------------

  static List<Arguments> scalars() {
    return List.of(
        Arguments.of(int.class, 1, "'type': 'integer'"),
        Arguments.of(Integer.class, 1, "'type': 'integer'"),
        Arguments.of(long.class, 1L, "'type': 'integer'"),
        Arguments.of(Long.class, 1L, "'type': 'integer'"),
        Arguments.of(short.class, (short) 1, "'type': 'integer'"),
        Arguments.of(byte.class, (byte) 1, "'type': 'integer'"),
        Arguments.of(Byte.class, (byte) 1, "'type': 'integer'"),
        Arguments.of(BigInteger.class, BigInteger.TEN, "'type': 'integer'"),
        Arguments.of(double.class, 1.5, "'type': 'number'"),
        Arguments.of(Float.class, 1.5f, "'type': 'number'"),
        Arguments.of(BigDecimal.class, new BigDecimal("1.5"), "'type': 'number'"),
        Arguments.of(boolean.class, true, "'type': 'boolean'"),
        Arguments.of(Boolean.class, true, "'type': 'boolean'"),
        Arguments.of(char.class, 'x', "'type': 'string'"),
        Arguments.of(String.class, "x", "'type': 'string'"),
        Arguments.of(Instant.class, Instant.parse("2025-01-02T03:04:05Z"), dateTime("date-time")),
        Arguments.of(
            OffsetDateTime.class,
            OffsetDateTime.parse("2025-01-02T03:04:05+01:00"),
            dateTime("date-time")),
        Arguments.of(
            ZonedDateTime.class,
            ZonedDateTime.parse("2025-01-02T03:04:05Z"),
            dateTime("date-time")),
        Arguments.of(LocalDate.class, LocalDate.of(2025, 1, 2), dateTime("date")),
        Arguments.of(LocalTime.class, LocalTime.of(3, 4), dateTime("time")),
        Arguments.of(Duration.class, Duration.ofSeconds(5), dateTime("duration")),
        Arguments.of(LocalDateTime.class, LocalDateTime.of(2025, 1, 2, 3, 4), "'type': 'string'"),
        Arguments.of(java.time.Year.class, java.time.Year.of(2025), "'type': 'integer'"),
        Arguments.of(
            java.time.YearMonth.class, java.time.YearMonth.of(2025, 1), "'type': 'string'"),
        Arguments.of(UUID.class, new UUID(1, 2), dateTime("uuid")),
        Arguments.of(URI.class, URI.create("https://example.com"), dateTime("uri")),
        Arguments.of(
            byte[].class, new byte[] {1, 2}, "'type': 'string', 'contentEncoding': 'base64'"));
  }

  private static String dateTime(String format) {
    return "'type': 'string', 'format': '" + format + "'";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scalars")
  void scalarsHaveTheTypeAndFormatJacksonWrites(Class<?> type, Object sample, String expected) {
    JsonNode schema = JsonSchemas.forClass(type);

    assertThat(schema).isEqualTo(schema(expected));
    JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(sample));
    String writtenType =
        written.isString()
            ? "string"
            : written.isIntegralNumber()
                ? "integer"
                : written.isNumber() ? "number" : written.isBoolean() ? "boolean" : "other";
    assertThat(writtenType)
        .as("what Jackson writes for %s", sample)
        .isEqualTo(schema.get("type").asString());
  }

  // ---- what is not data -----------------------------------------------------------------------

  @Test
  void anyValueHasNoSchema() {
    assertThat(JsonSchemas.forClass(Object.class)).isNull();
    assertThat(JsonSchemas.forClass(JsonNode.class)).isNull();
    assertThat(JsonSchemas.forClass(RawJson.class)).isNull();
    assertThat(JsonSchemas.forType(new TypeOf<Optional<Object>>() {}.type())).isNull();
  }

  @Test
  void untypedContainersAreObjectsAndArrays() {
    assertThat(JsonSchemas.forType(new TypeOf<Map<String, Object>>() {}.type()))
        .isEqualTo(schema("'type': 'object'"));
    assertThat(JsonSchemas.forClass(Map.class)).isEqualTo(schema("'type': 'object'"));
    assertThat(JsonSchemas.forClass(ObjectNode.class)).isEqualTo(schema("'type': 'object'"));
    assertThat(JsonSchemas.forType(new TypeOf<List<Object>>() {}.type()))
        .isEqualTo(schema("'type': 'array', 'items': {}"));
    assertThat(JsonSchemas.forClass(ArrayNode.class)).isEqualTo(schema("'type': 'array'"));
  }

  @Test
  void voidIsNull() {
    assertThat(JsonSchemas.forClass(void.class)).isEqualTo(schema("'type': 'null'"));
    assertThat(JsonSchemas.forClass(Void.class)).isEqualTo(schema("'type': 'null'"));
  }

  record Envelope(
      String kind,
      Object payload,
      JsonNode tree,
      ObjectNode object,
      Map<String, Object> attributes,
      RawJson raw) {}

  @Test
  void propertiesOfAnyValueHaveTheEmptySchema() {
    assertThat(JsonSchemas.forClass(Envelope.class))
        .isEqualTo(
            schema(
                """
                'type': 'object',
                'properties': {
                  'kind': {'type': 'string'},
                  'payload': {},
                  'tree': {},
                  'object': {'type': 'object'},
                  'attributes': {'type': 'object'},
                  'raw': {}}
                """));
  }

  // ---- Jackson's own view of a type -----------------------------------------------------------

  record UserId(@JsonValue String value) {}

  record Account(UserId id, List<UserId> friends) {}

  @JsonSerialize(using = ToStringSerializer.class)
  static final class Opaque {}

  record HasOpaque(Opaque value) {}

  @Test
  void aJsonValueTypeIsItsValueAndACustomSerialiserAnyValue() {
    assertThat(JsonSchemas.forClass(Account.class))
        .isEqualTo(
            schema(
                """
                'type': 'object',
                'properties': {'id': {'type': 'string'},
                               'friends': {'type': 'array', 'items': {'type': 'string'}}}
                """));
    assertThat(JsonSchemas.forClass(HasOpaque.class))
        .isEqualTo(schema("'type': 'object', 'properties': {'value': {}}"));
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Circle.class, name = "circle"),
    @JsonSubTypes.Type(value = Square.class, name = "square")
  })
  interface Shape {}

  record Circle(double radius) implements Shape {}

  record Square(double side) implements Shape {}

  @Test
  void subtypesAreAlternativesWithTheirTypeProperty() {
    JsonNode schema = JsonSchemas.forClass(Shape.class);

    assertThat(schema).isNotNull();
    assertThat(schema.get("anyOf")).hasSize(2);
    assertThat(schema.get("$defs").toString())
        .contains("{\"const\":\"circle\"}", "{\"const\":\"square\"}", "radius", "side");
  }

  // ---- channel ends and substitutes -----------------------------------------------------------

  private static final String CHANNEL_REF_DEFS =
      """
      'ChannelRef': {'type': 'object',
        'properties': {'channel_id': {'type': 'string'},
                       'access_key': {'type': 'string'},
                       'direction': {'$ref': '#/$defs/Direction'}},
        'required': ['channel_id', 'access_key', 'direction']},
      'Direction': {'type': 'string', 'enum': ['read', 'write']}
      """;

  @Test
  void anHttpRequestShowsItsChannelEndsAsChannelRefs() {
    assertThat(JsonSchemas.forClass(ApiRequest.class))
        .isEqualTo(
            schema(
                "'$defs': {"
                    + CHANNEL_REF_DEFS
                    + """
                    },
                    'type': 'object',
                    'properties': {
                      'path_params': {'type': 'object', 'additionalProperties': {'type': 'string'}},
                      'query_params': {'type': 'object', 'additionalProperties': {'type': 'string'}},
                      'body': {},
                      'headers': {'type': 'object', 'additionalProperties': {'type': 'string'}},
                      'method': {'type': 'string'},
                      'request_body': {'$ref': '#/$defs/ChannelRef'},
                      'path': {'type': 'string'},
                      'response': {'$ref': '#/$defs/ChannelRef'}}
                    """));
  }

  @Test
  void aTypedBodyIsDescribedInsideTheRequest() {
    JsonNode schema = JsonSchemas.forType(new TypeOf<ApiRequest<Address>>() {}.type());

    assertThat(schema).isNotNull();
    assertThat(schema.get("properties").get("body"))
        .isEqualTo(MAPPER.readTree("{\"$ref\":\"#/$defs/Address\"}"));
    assertThat(schema.get("$defs").get("Address"))
        .isEqualTo(MAPPER.readTree("{" + ADDRESS_DEF.replace('\'', '"') + "}").get("Address"));
  }

  /** Written by a mapper module, which the schema cannot see. */
  static final class Money {
    public long cents;
  }

  record Invoice(@JsonPropertyDescription("to pay") Money total, List<Money> lines) {}

  @Test
  void treatAsDescribesATypeAsAnotherWhereverItOccurs() {
    JsonSchemas schemas = JsonSchemas.builder().treatAs(Money.class, String.class).build();

    assertThat(schemas.schemaFor(Invoice.class))
        .isEqualTo(
            schema(
                """
                'type': 'object',
                'properties': {
                  'total': {'type': 'string', 'description': 'to pay'},
                  'lines': {'type': 'array', 'items': {'type': 'string'}}}
                """));
    assertThat(schemas.schemaFor(Money.class)).isEqualTo(schema("'type': 'string'"));
    assertThat(
            JsonSchemas.builder()
                .treatAs(Money.class, ChannelRef.class)
                .build()
                .schemaFor(Money.class))
        .isEqualTo(schema("'$defs': {" + CHANNEL_REF_DEFS + "}, '$ref': '#/$defs/ChannelRef'"));
    assertThat(
            JsonSchemas.builder().treatAs(Money.class, Object.class).build().schemaFor(Money.class))
        .isNull();
  }

  // ---- copies ---------------------------------------------------------------------------------

  @Test
  void everyCallReturnsItsOwnCopy() {
    ObjectNode first = (ObjectNode) JsonSchemas.forClass(Address.class);
    first.put("title", "changed by a caller");

    JsonNode second = JsonSchemas.forClass(Address.class);

    assertThat(second).isNotSameAs(first);
    assertThat(second.has("title")).isFalse();
  }

  @Test
  void theSchemaHeaderIsThePythonSdks() {
    assertThat(JsonSchemas.DIALECT).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(JsonSchemas.forClass(String.class).get("$schema").asString())
        .isEqualTo(JsonSchemas.DIALECT);
  }
}
