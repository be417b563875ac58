package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.HostResolver;
import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.modules.httpfunctions.HttpFunctionsModule;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * HTTP functions under hostile URLs: a name that resolves to one address for the check and to
 * another for the connection (DNS rebinding), credentials in URLs, and floods of refused
 * registrations. The host name {@code rebind.test} exists only in the test's {@link HostResolver},
 * which counts its lookups; the HTTP server is the test's own, on 127.0.0.1.
 */
class HttpFunctionsSsrfTest {

  /** What the server saw of one request. */
  private record Seen(String uri, String host) {}

  /** A resolver for {@code rebind.test} that gives the next prepared answer per lookup. */
  private static final class CountingResolver implements HostResolver {
    final AtomicInteger lookups = new AtomicInteger();
    final List<InetAddress> answers;

    CountingResolver(InetAddress... answers) {
      this.answers = List.of(answers);
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
      if (!host.equals("rebind.test")) {
        throw new UnknownHostException(host);
      }
      int n = lookups.getAndIncrement();
      return List.of(answers.get(Math.min(n, answers.size() - 1)));
    }
  }

  private final ConcurrentLinkedQueue<Seen> requests = new ConcurrentLinkedQueue<>();
  private final List<RawWorker> workers = new ArrayList<>();
  private final List<EmbeddedEngine> engines = new ArrayList<>();
  private DisposableServer server;

  @BeforeEach
  void startServer() {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) -> {
                  requests.add(
                      new Seen(request.uri(), request.requestHeaders().get("host", "(none)")));
                  return response
                      .header("content-type", "application/json")
                      .sendString(Mono.just("{\"reached\":true}"))
                      .then();
                })
            .bindNow();
  }

  @AfterEach
  void stop() {
    workers.forEach(RawWorker::abort);
    engines.forEach(EmbeddedEngine::close);
    server.disposeNow();
  }

  private RawWorker workerOf(HttpFunctionsConfig http) {
    EngineConfig config =
        EngineConfig.development()
            .withHost("127.0.0.1")
            .withPort(0)
            .withRestApi(null)
            .withHttpFunctions(http);
    EmbeddedEngine engine = EmbeddedEngine.builder().config(config).streamPort(0).build().start();
    engines.add(engine);
    RawWorker worker = RawWorker.connect(engine);
    workers.add(worker);
    return worker;
  }

  private static void register(RawWorker worker, String id, String url) {
    worker.sendAndSync(
        "{\"type\":\"registerfunction\",\"id\":\""
            + id
            + "\",\"invocation\":{\"url\":\""
            + url
            + "\",\"timeout_ms\":5000}}");
  }

  /** Waits until the registration's checks (and any lookup) are done and the function is listed. */
  private static void awaitListed(RawWorker worker, String id) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              for (JsonNode function :
                  worker.callResult("engine::functions::list", "{}").path("functions")) {
                if (id.equals(function.path("function_id").asString())) {
                  return true;
                }
              }
              return false;
            });
  }

  @Test
  void aCallConnectsToTheAddressOfItsOneLookupAndKeepsTheHostHeader() throws Exception {
    CountingResolver resolver = new CountingResolver(InetAddress.getByName("127.0.0.1"));
    RawWorker worker =
        workerOf(
            new HttpFunctionsConfig(List.of("rebind.test"), false, false).withResolver(resolver));
    String url = "http://rebind.test:" + server.port() + "/hook?x=1";
    register(worker, "hook::rebind", url);
    awaitListed(worker, "hook::rebind");
    int atRegistration = resolver.lookups.get();

    JsonNode first = worker.call("hook::rebind", "{}");
    JsonNode second = worker.call("hook::rebind", "{}");

    assertThat(first.path("result").path("reached").asBoolean()).as("%s", first).isTrue();
    assertThat(second.path("result").path("reached").asBoolean()).as("%s", second).isTrue();
    assertThat(resolver.lookups.get() - atRegistration)
        .as("one lookup per call; the HTTP client resolves nothing itself")
        .isEqualTo(2);
    assertThat(requests)
        .containsOnly(new Seen("/hook?x=1", "rebind.test:" + server.port()))
        .hasSize(2);
  }

  @Test
  void aNameThatRebindsToLoopbackAfterRegistrationIsRefusedBeforeAnythingIsSent() throws Exception {
    CountingResolver resolver =
        new CountingResolver(
            InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1"));
    RawWorker worker =
        workerOf(new HttpFunctionsConfig(List.of("*"), true, false).withResolver(resolver));
    register(worker, "hook::rebind", "http://rebind.test:" + server.port() + "/hook");
    awaitListed(worker, "hook::rebind");
    assertThat(resolver.lookups.get()).as("the registration's check").isEqualTo(1);

    JsonNode error = worker.call("hook::rebind", "{}").path("error");

    assertThat(error.path("code").asString()).isEqualTo("url_validation_failed");
    assertThat(error.path("message").asString()).isEqualTo("Private IP blocked");
    assertThat(resolver.lookups.get()).as("one lookup for the call, none after").isEqualTo(2);
    assertThat(requests).isEmpty();
  }

  @Test
  void anIpv4CompatibleLoopbackLiteralIsRefused() {
    RawWorker worker = workerOf(new HttpFunctionsConfig(List.of("*"), true, false));
    register(worker, "hook::compat", "http://[::127.0.0.1]:" + server.port() + "/hook");
    register(worker, "hook::cgnat", "http://100.64.0.1:" + server.port() + "/hook");
    worker.sync();

    assertThat(worker.call("hook::compat", "{}").path("error").path("code").asString())
        .isEqualTo("function_not_found");
    assertThat(worker.call("hook::cgnat", "{}").path("error").path("code").asString())
        .isEqualTo("function_not_found");
    assertThat(requests).isEmpty();
  }

  @Test
  void aUrlWithCredentialsIsRefusedAndNoLogLineShowsThem() {
    try (AllLogs logs = new AllLogs()) {
      RawWorker worker = workerOf(HttpFunctionsConfig.development());
      String url = "http://user:pa55word-in-url@127.0.0.1:" + server.port() + "/creds";
      register(worker, "hook::creds", url);
      register(worker, "hook::fine", "http://127.0.0.1:" + server.port() + "/fine");
      awaitListed(worker, "hook::fine");

      JsonNode refused = worker.call("hook::creds", "{}");

      assertThat(refused.path("error").path("code").asString()).isEqualTo("function_not_found");
      assertThat(requests).isEmpty();
      assertThat(logs.lines())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("hook::creds")
                      .contains("http://***@127.0.0.1:" + server.port() + "/creds"));
      assertThat(logs.lines()).noneMatch(line -> line.contains("pa55word"));
    }
  }

  @Test
  void refusedRegistrationsWriteRateLimitedWarningsNotOneErrorEach() {
    try (AllLogs logs = new AllLogs()) {
      RawWorker worker = workerOf(new HttpFunctionsConfig(List.of("allowed.test"), false, false));
      int attempts = 30;
      long start = System.nanoTime();
      for (int i = 0; i < attempts; i++) {
        register(worker, "hook::refused" + i, "http://elsewhere.test/" + i);
      }
      worker.sync();
      long elapsed = System.nanoTime() - start;

      List<String> refusals =
          logs.lines().stream().filter(line -> line.contains("refused")).toList();
      // At most one line per interval started (the first at once), however fast this machine is.
      long allowed =
          1 + elapsed / TimeUnit.NANOSECONDS.convert(HttpFunctionsModule.REFUSAL_LOG_INTERVAL);
      assertThat(refusals).isNotEmpty().hasSizeLessThanOrEqualTo((int) allowed);
      assertThat(refusals.get(0)).startsWith("WARN ").contains("URL not in allowlist");
      assertThat(logs.lines()).noneMatch(line -> line.startsWith("ERROR "));
    }
  }

  /** Every event of every logger, with the engine's loggers opened down to TRACE meanwhile. */
  private static final class AllLogs implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger engine = (Logger) LoggerFactory.getLogger("dev.iii.engine");
    private final Level previous = engine.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    AllLogs() {
      appender.start();
      root.addAppender(appender);
      engine.setLevel(Level.TRACE);
    }

    /** "LEVEL message / exception class: exception message" per event. */
    List<String> lines() {
      return List.copyOf(appender.list).stream()
          .map(
              e ->
                  e.getLevel()
                      + " "
                      + e.getFormattedMessage()
                      + (e.getThrowableProxy() == null
                          ? ""
                          : " / "
                              + e.getThrowableProxy().getClassName()
                              + ": "
                              + e.getThrowableProxy().getMessage()))
          .toList();
    }

    @Override
    public void close() {
      engine.setLevel(previous);
      root.detachAppender(appender);
      appender.stop();
    }
  }
}
