package dev.iii.schema;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Caching, failures and concurrent use. */
class JsonSchemasCacheTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** A generator that counts its calls and describes every type as {"title": name}. */
  private static final class Counting implements JsonSchemas.Generator {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public ObjectNode generate(Type type) {
      calls.computeIfAbsent(type.getTypeName(), k -> new AtomicInteger()).incrementAndGet();
      return MAPPER.createObjectNode().put("title", type.getTypeName());
    }

    int calls(Type type) {
      AtomicInteger count = calls.get(type.getTypeName());
      return count == null ? 0 : count.get();
    }
  }

  /** A parameterised type {@code List<Integer>} made anew, equal to every other with its n. */
  private record ListOf(int n) implements ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return new Type[] {Integer.class};
    }

    @Override
    public Type getRawType() {
      return List.class;
    }

    @Override
    public Type getOwnerType() {
      return List.class;
    }

    @Override
    public String getTypeName() {
      return "List#" + n;
    }
  }

  record Item(String name) {}

  @Test
  void aClassIsDescribedOnce() {
    Counting generator = new Counting();
    JsonSchemas schemas = new JsonSchemas(generator);

    JsonNode first = schemas.schemaFor(Item.class);
    JsonNode second = schemas.schemaFor(Item.class);

    assertThat(first).isEqualTo(second).isNotSameAs(second);
    assertThat(generator.calls(Item.class)).isEqualTo(1);
  }

  @Test
  void equalGenericTypesShareOneEntry() {
    Counting generator = new Counting();
    JsonSchemas schemas = new JsonSchemas(generator);

    schemas.schemaFor(new ListOf(1));
    schemas.schemaFor(new ListOf(1));

    assertThat(generator.calls(new ListOf(1))).isEqualTo(1);
    assertThat(schemas.cachedTypes()).isEqualTo(1);
  }

  @Test
  void theCacheOfGenericTypesIsBounded() {
    Counting generator = new Counting();
    JsonSchemas schemas = new JsonSchemas(generator);
    int beyond = JsonSchemas.MAX_CACHED_TYPES + 10;

    for (int n = 0; n < beyond; n++) {
      assertThat(schemas.schemaFor(new ListOf(n)).get("title").asString()).isEqualTo("List#" + n);
    }
    Type late = new ListOf(beyond - 1);
    schemas.schemaFor(late);

    assertThat(schemas.cachedTypes()).isEqualTo(JsonSchemas.MAX_CACHED_TYPES);
    assertThat(generator.calls(new ListOf(0))).isEqualTo(1);
    assertThat(generator.calls(late)).isEqualTo(2); // not cached: made again
    assertThat(schemas.schemaFor(new ListOf(0))).isNotNull();
    assertThat(generator.calls(new ListOf(0))).isEqualTo(1); // still cached
  }

  @Test
  void aGeneratorThatFailsGivesNoSchemaLogsAtDebugAndIsNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    JsonSchemas schemas =
        new JsonSchemas(
            type -> {
              calls.incrementAndGet();
              throw new IllegalStateException("cannot describe");
            });

    List<ILoggingEvent> events = captureDebug(() -> schemas.schemaFor(Item.class));
    JsonNode again = schemas.schemaFor(Item.class);

    assertThat(again).isNull();
    assertThat(calls).hasValue(1);
    assertThat(events)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
              assertThat(event.getFormattedMessage()).contains(Item.class.getName());
              assertThat(event.getThrowableProxy().getMessage()).isEqualTo("cannot describe");
            });
  }

  @Test
  void aTypeTheGeneratorCannotReadGivesNoSchema() {
    Type odd = new Type() {};

    List<ILoggingEvent> events = captureDebug(() -> assertThat(JsonSchemas.forType(odd)).isNull());

    assertThat(events).hasSize(1);
  }

  @Test
  void aLinkageErrorGivesNoSchema() {
    JsonSchemas schemas =
        new JsonSchemas(
            type -> {
              throw new NoClassDefFoundError("com/example/Missing");
            });

    assertThat(schemas.schemaFor(new ListOf(1))).isNull();
  }

  @Test
  void concurrentCallersGetEqualSchemasAndEachGenericTypeIsMadeOnce() throws Exception {
    Counting generator = new Counting();
    JsonSchemas schemas = new JsonSchemas(generator);
    int threads = 8;
    List<Type> types = new ArrayList<>();
    for (int n = 0; n < 20; n++) {
      types.add(new ListOf(n));
    }

    List<List<JsonNode>> results = runTogether(threads, () -> describeAll(schemas, types));

    for (List<JsonNode> result : results) {
      assertThat(result).isEqualTo(results.get(0));
    }
    for (Type type : types) {
      assertThat(generator.calls(type)).isEqualTo(1);
    }
  }

  @Test
  void concurrentGenerationWithTheRealGeneratorMatchesSequential() throws Exception {
    List<Type> types =
        List.of(
            JsonSchemasTest.Person.class,
            JsonSchemasTest.Catalog.class,
            JsonSchemasTest.Tree.class,
            new JsonSchemasTest.TypeOf<List<JsonSchemasTest.Address>>() {}.type());
    List<JsonNode> sequential = describeAll(JsonSchemas.builder().build(), types);
    JsonSchemas shared = JsonSchemas.builder().build();

    List<List<JsonNode>> results = runTogether(3, () -> describeAll(shared, types));

    for (List<JsonNode> result : results) {
      assertThat(result).isEqualTo(sequential);
    }
    assertThat(sequential).doesNotContainNull();
  }

  private static List<JsonNode> describeAll(JsonSchemas schemas, List<Type> types) {
    List<JsonNode> out = new ArrayList<>();
    for (Type type : types) {
      out.add(schemas.schemaFor(type));
    }
    return out;
  }

  /** Runs the task on {@code threads} threads released at once; their results. */
  private static <T> List<T> runTogether(int threads, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return task.call();
                }));
      }
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The DEBUG events of {@link JsonSchemas}'s logger while {@code action} runs. */
  private static List<ILoggingEvent> captureDebug(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger(JsonSchemas.class);
    Level before = logger.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.DEBUG);
    try {
      action.run();
    } finally {
      logger.setLevel(before);
      logger.detachAppender(appender);
    }
    return List.copyOf(appender.list);
  }
}
