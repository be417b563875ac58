package dev.iii;

import static dev.iii.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.FakeEngine.Conn;
import dev.iii.IIITriggerTypeTest.RecordingHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-invocation and per-trigger {@code metadata} (engine 0.22+) both ways, and what functions and
 * trigger types are registered with (descriptions, JSON Schemas, metadata), frame by frame.
 */
class MetadataTest extends ClientTestSupport {

  @Test
  void aCallCarriesItsMetadataNextToTheData() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    engine.answer("remote::echo", data -> data);

    CompletableFuture<Object> result =
        client.trigger(
            TriggerRequest.of("remote::echo", Map.of("n", 1))
                .withMetadata(Map.of("tenant", "acme", "attempt", 2)));

    assertThat(result).succeedsWithin(WAIT).isEqualTo(Map.of("n", 1));
    JsonNode frame = conn.awaitFrame("invokefunction", "function_id", "remote::echo");
    assertThat(frame.get("metadata")).isEqualTo(json("{'tenant':'acme','attempt':2}"));
    assertThat(frame.has("action")).isFalse();
    assertThat(frame.get("invocation_id").asString()).isNotBlank();
  }

  @Test
  void aCallWithoutMetadataHasNoMetadataField() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    engine.answer("remote::echo", data -> data);

    assertThat(client.trigger(TriggerRequest.of("remote::echo", 1))).succeedsWithin(WAIT);

    assertThat(conn.awaitFrame("invokefunction", "function_id", "remote::echo").has("metadata"))
        .isFalse();
  }

  @Test
  void aTriggerRequestWaitsForItsOwnTimeout() {
    III client = connect(client());

    CompletableFuture<Object> slow =
        client.trigger(TriggerRequest.of("remote::slow", null).withTimeout(Duration.ofMillis(50)));

    assertThat(failure(slow).code()).isEqualTo(IIIException.TIMEOUT);
  }

  @Test
  void theHandlerReadsTheInvocationsMetadataFromItsContext() {
    III client = client();
    client.registerFunction(
        "meta::read", input -> Map.of("input", input, "metadata", Context.current().metadata()));
    connect(client);
    Conn conn = engine.awaitConnection(0);

    // As a v0.22.1 engine forwards a call made with metadata (worker_connections/traits.rs).
    conn.send(
        "{\"type\":\"invokefunction\",\"invocation_id\":\"0b7e5c4a-1d2f-4e3a-9b8c-7d6e5f4a3b2c\","
            + "\"function_id\":\"meta::read\",\"data\":{\"a\":1},"
            + "\"metadata\":{\"source\":\"node\",\"tags\":[\"x\"]}}");
    JsonNode answer =
        conn.awaitFrame(
            "invocationresult", "invocation_id", "0b7e5c4a-1d2f-4e3a-9b8c-7d6e5f4a3b2c");

    assertThat(answer.get("result"))
        .isEqualTo(json("{'input':{'a':1},'metadata':{'source':'node','tags':['x']}}"));
  }

  @Test
  void theContextHasNoMetadataWhenNoneWasSent() {
    III client = client();
    client.registerFunction(
        "meta::none", input -> String.valueOf(Context.current().metadata() == null));
    connect(client);

    JsonNode answer = engine.awaitConnection(0).call("meta::none", null);

    assertThat(answer.get("result").asString()).isEqualTo("true");
  }

  @Test
  void aTriggerIsRegisteredWithItsMetadata() {
    III client = client();
    Trigger trigger =
        client.registerTrigger(
            "http",
            "api::get",
            Map.of("api_path", "/a", "http_method", "GET"),
            Map.of("owner", "team-a"));
    connect(client);

    JsonNode frame = engine.awaitConnection(0).awaitFrame("registertrigger", "id", trigger.id());

    assertThat(frame)
        .isEqualTo(
            json(
                "{'type':'registertrigger','id':'"
                    + trigger.id()
                    + "','trigger_type':'http','function_id':'api::get',"
                    + "'config':{'api_path':'/a','http_method':'GET'},'metadata':{'owner':'team-a'}}"));
  }

  @Test
  void aTriggerTypeProviderSeesTheTriggersMetadata() {
    III client = client();
    RecordingHandler handler = new RecordingHandler();
    client.registerTriggerType("webhook", "Webhooks", handler);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    // As a v0.22.1 engine forwards a binding registered with metadata.
    conn.send(
        "{\"type\":\"registertrigger\",\"id\":\"tt-1\",\"trigger_type\":\"webhook\","
            + "\"function_id\":\"other::fn\",\"config\":{\"k\":1},\"metadata\":{\"m\":\"v\"}}");
    conn.awaitFrame("triggerregistrationresult", "id", "tt-1");

    assertThat(handler.registered)
        .containsExactly(new TriggerConfig("tt-1", "other::fn", Map.of("k", 1), Map.of("m", "v")));
  }

  @Test
  void aFunctionIsRegisteredWithItsSchemasAndMetadata() {
    III client = client();
    JsonNode output = JsonMapper.shared().readTree("{\"type\":\"string\"}");
    client.registerFunction(
        "orders::get",
        input -> null,
        RegisterFunctionOptions.builder()
            .description("Reads an order")
            .requestFormat(Map.of("type", "object", "required", List.of("id")))
            .responseFormat(output)
            .metadata(Map.of("team", "orders"))
            .build());
    client.registerFunction(
        "orders::typed",
        Greeting.class,
        greeting -> null,
        RegisterFunctionOptions.builder().requestFormat(Map.of("type", "object")).build());
    connect(client);
    Conn conn = engine.awaitConnection(0);

    assertThat(conn.awaitFrame("registerfunction", "id", "orders::get"))
        .isEqualTo(
            json(
                "{'type':'registerfunction','id':'orders::get','description':'Reads an order',"
                    + "'request_format':{'type':'object','required':['id']},"
                    + "'response_format':{'type':'string'},'metadata':{'team':'orders'}}"));
    assertThat(conn.awaitFrame("registerfunction", "id", "orders::typed"))
        .isEqualTo(
            json(
                "{'type':'registerfunction','id':'orders::typed',"
                    + "'request_format':{'type':'object'}}"));
  }

  @Test
  void aTypedFunctionIsRegisteredWithItsInputTypesSchema() {
    III client = client();
    client.registerFunction("orders::greet", Greeting.class, greeting -> null);
    client.registerFunction(
        "orders::described",
        Greeting.class,
        greeting -> null,
        RegisterFunctionOptions.builder().description("Greets").build());
    client.registerFunction("orders::any", Object.class, input -> null);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    String greetingSchema =
        "{'$schema':'https://json-schema.org/draft/2020-12/schema','type':'object',"
            + "'properties':{'name':{'type':'string'}}}";
    assertThat(conn.awaitFrame("registerfunction", "id", "orders::greet"))
        .isEqualTo(
            json(
                "{'type':'registerfunction','id':'orders::greet','request_format':"
                    + greetingSchema
                    + "}"));
    JsonNode described = conn.awaitFrame("registerfunction", "id", "orders::described");
    assertThat(described.get("description").asString()).isEqualTo("Greets");
    assertThat(described.get("request_format")).isEqualTo(json(greetingSchema));
    // Object accepts any value: no schema, no field.
    assertThat(conn.awaitFrame("registerfunction", "id", "orders::any").has("request_format"))
        .isFalse();
  }

  @Test
  void theInputSchemaFollowsTheClientsMapper() {
    III client =
        client(
            options ->
                options.jsonMapper(
                    JsonMapper.builder()
                        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .build()));
    client.registerFunction("orders::named", Named.class, named -> named.firstName());
    connect(client);

    JsonNode frame =
        engine.awaitConnection(0).awaitFrame("registerfunction", "id", "orders::named");

    assertThat(frame.get("request_format").get("properties").propertyNames())
        .containsExactly("first_name");
  }

  @Test
  void anHttpInvokedFunctionIsRegisteredWithItsOptions() {
    III client = client();
    client.registerFunction(
        "ext::fn",
        HttpInvocationConfig.builder().url("https://x.test/").build(),
        RegisterFunctionOptions.builder()
            .description("external")
            .requestFormat(Map.of("type", "object"))
            .build());
    connect(client);

    JsonNode frame = engine.awaitConnection(0).awaitFrame("registerfunction", "id", "ext::fn");

    assertThat(frame.get("description").asString()).isEqualTo("external");
    assertThat(frame.get("request_format")).isEqualTo(json("{'type':'object'}"));
    assertThat(frame.get("invocation").get("url").asString()).isEqualTo("https://x.test/");
  }

  @Test
  void aTriggerTypeIsRegisteredWithItsFormats() {
    III client = client();
    client.registerTriggerType(
        "webhook",
        "Webhooks",
        new RecordingHandler(),
        RegisterTriggerTypeOptions.of(
            Map.of("type", "object", "required", List.of("path")), Map.of("type", "object")));
    connect(client);

    assertThat(engine.awaitConnection(0).awaitFrame("registertriggertype", "id", "webhook"))
        .isEqualTo(
            json(
                "{'type':'registertriggertype','id':'webhook','description':'Webhooks',"
                    + "'trigger_request_format':{'type':'object','required':['path']},"
                    + "'call_request_format':{'type':'object'}}"));
  }

  /** A typed input. */
  record Greeting(String name) {}

  /** A typed input whose property name depends on the mapper's naming strategy. */
  record Named(String firstName) {}
}
