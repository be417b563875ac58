package dev.iii.bench;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The baseline for the engine's REST port: a plain Spring WebFlux functional endpoint on Reactor
 * Netty, without Spring Boot, answering {@code POST /bench/echo} with the request's JSON body (read
 * into a {@code Map} and written back by Jackson, as the iii path does).
 *
 * <pre>
 * java -cp iii-benchmarks.jar dev.iii.bench.BenchmarkMain webflux
 * </pre>
 *
 * <p>Binds 127.0.0.1 on a free port, prints {@code ready http://127.0.0.1:PORT} and runs until its
 * stdin closes or it is killed.
 */
public final class WebFluxServer {

  private WebFluxServer() {}

  static void run(RoleArguments args) throws IOException {
    RouterFunction<ServerResponse> routes =
        RouterFunctions.route(
            POST(JavaWorker.HTTP_PATH),
            request ->
                request
                    .bodyToMono(Map.class)
                    .flatMap(
                        body ->
                            ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(body)));
    ReactorHttpHandlerAdapter adapter =
        new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(routes));
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(Integer.parseInt(args.optional("port", "0")))
            .handle(adapter)
            .bindNow();
    System.out.println("ready http://127.0.0.1:" + server.port());
    System.out.flush();
    JavaWorker.waitForEndOfInput();
    server.disposeNow();
  }
}
