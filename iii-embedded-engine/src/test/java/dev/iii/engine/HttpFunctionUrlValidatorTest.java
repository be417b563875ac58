package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.modules.httpfunctions.UrlValidator;
import dev.iii.engine.registry.InvocationError;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link UrlValidator}: the checks run at registration and before every call, in the official
 * order, failing with {@code url_validation_failed} and the official messages.
 */
class HttpFunctionUrlValidatorTest {

  private static String refusal(UrlValidator validator, String url) throws Exception {
    CompletableFuture<Void> result = validator.validate(url);
    try {
      result.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      InvocationError error = InvocationError.of(e);
      assertThat(error.body().code()).isEqualTo("url_validation_failed");
      return error.body().message();
    }
    return null;
  }

  @Test
  void checksRunInTheOfficialOrder() throws Exception {
    UrlValidator secure = new UrlValidator(HttpFunctionsConfig.secure());

    assertThat(refusal(secure, "not a url at all")).isEqualTo("Invalid URL");
    assertThat(refusal(secure, "http://example.com/x")).isEqualTo("HTTPS is required");
    assertThat(refusal(secure, "https://127.0.0.1/x")).isEqualTo("Private IP blocked");
    assertThat(refusal(secure, "https://[::1]:8443/x")).isEqualTo("Private IP blocked");
    assertThat(refusal(secure, "https://8.8.8.8/x")).isNull();
  }

  @Test
  void theAllowlistMatchesTheHostWithGlobs() throws Exception {
    UrlValidator validator =
        new UrlValidator(
            new HttpFunctionsConfig(
                List.of("*.example.com", "api-v?.test", "h[0-9].io"), false, false));

    assertThat(refusal(validator, "http://a.b.example.com:8080/hook")).isNull();
    assertThat(refusal(validator, "http://API.Example.com/hook"))
        .as("hosts are lowercased")
        .isNull();
    assertThat(refusal(validator, "http://example.com/hook")).isEqualTo("URL not in allowlist");
    assertThat(refusal(validator, "http://api-v2.test/")).isNull();
    assertThat(refusal(validator, "http://api-v10.test/")).isEqualTo("URL not in allowlist");
    assertThat(refusal(validator, "http://h7.io/")).isNull();
    assertThat(refusal(validator, "http://hx.io/")).isEqualTo("URL not in allowlist");
    assertThat(refusal(validator, "http://evil.com/?u=x.example.com"))
        .as("only the host counts")
        .isEqualTo("URL not in allowlist");
  }

  @Test
  void theDevelopmentDefaultsAllowOnlyLocalhost() throws Exception {
    UrlValidator development = new UrlValidator(HttpFunctionsConfig.development());

    assertThat(refusal(development, "http://127.0.0.1:4000/webhook")).isNull();
    assertThat(refusal(development, "http://localhost:4000/webhook")).isNull();
    assertThat(refusal(development, "http://10.0.0.1/webhook")).isEqualTo("URL not in allowlist");
  }

  @Test
  void unresolvableHostsFailTheDnsCheck() throws Exception {
    UrlValidator validator = new UrlValidator(new HttpFunctionsConfig(List.of("*"), true, false));

    assertThat(refusal(validator, "http://nonexistent.invalid/x")).isEqualTo("DNS lookup failed");
    assertThat(refusal(validator, "http://localhost/x")).isEqualTo("Private IP blocked");
  }

  @Test
  void privateAddressesAreTheOfficialOnes() throws Exception {
    for (String address :
        List.of(
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "169.254.1.1",
            "255.255.255.255",
            "192.0.2.1",
            "198.51.100.1",
            "203.0.113.1",
            "0.0.0.0",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "ff02::1")) {
      assertThat(UrlValidator.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
    }
    for (String address : List.of("8.8.8.8", "172.32.0.1", "1.1.1.1", "2001:4860:4860::8888")) {
      assertThat(UrlValidator.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
    }
  }

  @Test
  void anUnclosedClassIsAnInvalidAllowlist() {
    assertThatThrownBy(
            () -> new UrlValidator(new HttpFunctionsConfig(List.of("[invalid"), false, false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[invalid");
  }
}
