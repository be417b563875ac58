package dev.iii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

/** Shared set-up of the client tests: a fresh {@link FakeEngine} and clients closed after each. */
abstract class ClientTestSupport {

  static final Duration WAIT = FakeEngine.WAIT;

  /** Quick reconnects so that tests stay fast. */
  static final ReconnectionConfig FAST =
      ReconnectionConfig.DEFAULT
          .withInitialDelay(Duration.ofMillis(20))
          .withMaxDelay(Duration.ofMillis(100));

  static final String WORKER_NAME = "test-worker";

  FakeEngine engine;
  private final List<III> clients = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startEngine() {
    engine = FakeEngine.start();
  }

  @AfterEach
  void stopEverything() {
    clients.forEach(III::close);
    engine.close();
  }

  /** A client of {@link #engine} with fast reconnects, not yet connected. */
  III client() {
    return client(options -> options);
  }

  /** A client of {@link #engine} with fast reconnects and other options, not yet connected. */
  III client(UnaryOperator<InitOptions.Builder> customize) {
    InitOptions.Builder builder =
        InitOptions.builder()
            .workerName(WORKER_NAME)
            .reconnection(FAST)
            .transport(TestTransports.create());
    III client = new III(engine.url(), customize.apply(builder).build());
    clients.add(client);
    return client;
  }

  /** Connects and waits for {@code workerregistered}. */
  static III connect(III client) {
    assertThat(client.connect()).succeedsWithin(WAIT);
    return client;
  }

  /** The {@link IIIException} a future fails with (within {@link #WAIT}). */
  static IIIException failure(CompletableFuture<?> future) {
    Throwable thrown = catchThrowable(() -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(IIIException.class);
    return (IIIException) thrown.getCause();
  }

  /** Records every state a listener is told, in order. */
  static List<ConnectionState> recordStates(III client) {
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    client.onConnectionStateChange(states::add);
    return states;
  }

  /** A short description of a frame: its type and what it is about. */
  static String summary(JsonNode frame) {
    String type = frame.path("type").asString("");
    switch (type) {
      case "registertriggertype":
      case "registerservice":
      case "registerfunction":
      case "unregisterfunction":
      case "unregistertriggertype":
        return type + " " + frame.path("id").asString("");
      case "registertrigger":
        return type
            + " "
            + frame.path("trigger_type").asString("")
            + " -> "
            + frame.path("function_id").asString("");
      case "invokefunction":
        return type
            + " "
            + frame.path("function_id").asString("")
            + (frame.hasNonNull("invocation_id") ? "" : " (no reply)");
      default:
        return type;
    }
  }

  /** {@link #summary} of each frame. */
  static List<String> summaries(List<JsonNode> frames) {
    List<String> summaries = new ArrayList<>();
    frames.forEach(frame -> summaries.add(summary(frame)));
    return summaries;
  }
}
