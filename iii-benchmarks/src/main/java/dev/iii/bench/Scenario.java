package dev.iii.bench;

import java.util.List;

/**
 * One pairing the benchmark measures: who calls, who answers. Named {@code caller/worker}.
 *
 * @param name what {@code --scenarios} matches and the tables show
 * @param caller the load-generating process
 * @param worker the process that answers
 * @param description one line for the README and {@code --help}
 */
record Scenario(String name, CallerKind caller, WorkerKind worker, String description) {

  /** The load-generating process of a scenario. */
  enum CallerKind {
    /** {@link JavaCaller} {@code --mode blocking}: a thread per call in flight. */
    JAVA_BLOCKING,
    /** {@link JavaCaller} {@code --mode async}: callbacks, no thread per call. */
    JAVA_ASYNC,
    /** {@code node/caller.mjs}: the official Node SDK. */
    NODE,
    /** {@link HttpLoad}: HTTP POSTs with Reactor Netty's client. */
    HTTP
  }

  /** The answering process of a scenario. */
  enum WorkerKind {
    /** {@link JavaWorker}: iii-core. */
    JAVA,
    /** {@code node/worker.mjs}: the official Node SDK. */
    NODE,
    /** {@link JavaWorker} {@code --http}: iii-core behind the engine's REST port. */
    JAVA_HTTP,
    /** {@link WebFluxServer}: plain Spring WebFlux, no engine. */
    WEBFLUX
  }

  /** Every scenario, in the order they run and are printed. */
  static final List<Scenario> ALL =
      List.of(
          new Scenario(
              "java-blocking/java",
              CallerKind.JAVA_BLOCKING,
              WorkerKind.JAVA,
              "iii-core caller, one thread per call blocking on call(...).join(), iii-core worker"),
          new Scenario(
              "java-async/java",
              CallerKind.JAVA_ASYNC,
              WorkerKind.JAVA,
              "iii-core caller, CompletableFuture callbacks, iii-core worker"),
          new Scenario(
              "node/node", CallerKind.NODE, WorkerKind.NODE, "Node SDK caller, Node SDK worker"),
          new Scenario(
              "java-async/node",
              CallerKind.JAVA_ASYNC,
              WorkerKind.NODE,
              "iii-core async caller, Node SDK worker"),
          new Scenario(
              "node/java", CallerKind.NODE, WorkerKind.JAVA, "Node SDK caller, iii-core worker"),
          new Scenario(
              "http/iii",
              CallerKind.HTTP,
              WorkerKind.JAVA_HTTP,
              "HTTP load on the engine's REST port, POST /bench/echo -> iii-core worker"),
          new Scenario(
              "http/webflux",
              CallerKind.HTTP,
              WorkerKind.WEBFLUX,
              "the same HTTP load on a plain Spring WebFlux handler (no engine)"));

  /** Whether this scenario runs the engine (all but the WebFlux baseline). */
  boolean usesEngine() {
    return worker != WorkerKind.WEBFLUX;
  }

  /** Whether this scenario runs Node. */
  boolean usesNode() {
    return caller == CallerKind.NODE || worker == WorkerKind.NODE;
  }

  /**
   * The scenarios whose name contains one of {@code filters}, in catalogue order; all of them when
   * {@code filters} is empty.
   */
  static List<Scenario> select(List<String> filters) {
    return ALL.stream()
        .filter(
            scenario -> filters.isEmpty() || filters.stream().anyMatch(scenario.name()::contains))
        .toList();
  }
}
