package dev.iii.engine.modules.httpfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.registry.InvocationError;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An https call pinned to the checked address still speaks TLS to the URL's host name: SNI is the
 * host name and the certificate is checked against it, not against the address. The server is the
 * test's own, on 127.0.0.1, with a certificate for {@code rebind.test} made by the JDK's keytool.
 */
class HttpInvokerTlsPinningTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final String PASSWORD = "changeit";

  /** The SNI names and Host header the server saw per request. */
  private record Seen(List<String> sni, String host) {}

  private static PrivateKey key;
  private static X509Certificate certificate;

  private final ConcurrentLinkedQueue<Seen> requests = new ConcurrentLinkedQueue<>();
  private DisposableServer server;
  private HttpInvoker invoker;

  @BeforeAll
  static void makeCertificate(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=rebind.test",
                "-ext",
                "san=dns:rebind.test",
                "-validity",
                "2",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keystore.toFile())) {
      store.load(in, PASSWORD.toCharArray());
    }
    key = (PrivateKey) store.getKey("server", PASSWORD.toCharArray());
    certificate = (X509Certificate) store.getCertificate("server");
  }

  @BeforeEach
  void start() throws Exception {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(key, certificate)))
            .handle(
                (request, response) -> {
                  request.withConnection(
                      connection -> {
                        SSLSession session =
                            connection
                                .channel()
                                .pipeline()
                                .get(SslHandler.class)
                                .engine()
                                .getSession();
                        List<String> names =
                            ((ExtendedSSLSession) session)
                                .getRequestedServerNames().stream()
                                    .map(HttpInvokerTlsPinningTest::name)
                                    .toList();
                        requests.add(new Seen(names, request.requestHeaders().get("host")));
                      });
                  return response
                      .header("content-type", "application/json")
                      .sendString(Mono.just("{\"reached\":true}"))
                      .then();
                })
            .bindNow();
    SslContext clientTls = SslContextBuilder.forClient().trustManager(certificate).build();
    Set<String> known = Set.of("rebind.test", "other.test");
    HttpFunctionsConfig config =
        new HttpFunctionsConfig(List.of("*"), false, true)
            .withResolver(
                host -> {
                  if (!known.contains(host)) {
                    throw new UnknownHostException(host);
                  }
                  return List.of(InetAddress.getByName("127.0.0.1"));
                });
    invoker = new HttpInvoker(new UrlValidator(config), clientTls);
  }

  private static String name(SNIServerName name) {
    return name instanceof SNIHostName host ? host.getAsciiName() : name.toString();
  }

  @AfterEach
  void stop() {
    invoker.close();
    server.disposeNow();
  }

  private JsonNode call(String url) throws Exception {
    HttpInvocation invocation =
        HttpInvocation.parse(MAPPER.readTree("{\"url\":\"" + url + "\"}"), variable -> null);
    return invoker.invoke("hook::tls", invocation, MAPPER.readTree("{}")).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theHandshakeNamesTheUrlsHostAndItsCertificateIsAccepted() throws Exception {
    JsonNode result = call("https://rebind.test:" + server.port() + "/tls");

    assertThat(result.path("reached").asBoolean()).isTrue();
    assertThat(requests)
        .containsExactly(new Seen(List.of("rebind.test"), "rebind.test:" + server.port()));
  }

  @Test
  void aCertificateForAnotherNameIsRefusedThoughTheAddressIsTheSame() {
    Throwable failure = catchThrowable(() -> call("https://other.test:" + server.port() + "/tls"));

    InvocationError error = InvocationError.of(failure);
    assertThat(error.body().code()).isEqualTo("http_request_failed");
    assertThat(error.body().message()).contains("other.test");
    assertThat(requests).isEmpty();
  }
}
