package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.engine.config.HostResolver;
import dev.iii.engine.config.HttpFunctionsConfig;
import dev.iii.engine.modules.httpfunctions.UrlRedaction;
import dev.iii.engine.modules.httpfunctions.UrlValidator;
import dev.iii.engine.registry.InvocationError;
import java.net.Inet6Address;
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

  /** The address with these 16 bytes, kept as IPv6 (the JDK would turn ::ffff:x into IPv4). */
  private static InetAddress ipv6(String literal) throws Exception {
    byte[] bytes = new byte[16];
    byte[] parsed = InetAddress.getByName(literal).getAddress();
    if (parsed.length == 4) {
      bytes[10] = (byte) 0xff;
      bytes[11] = (byte) 0xff;
      System.arraycopy(parsed, 0, bytes, 12, 4);
    } else {
      bytes = parsed;
    }
    return Inet6Address.getByAddress(null, bytes, -1);
  }

  @Test
  void specialPurposeRangesAreBlockedAndIpv4InIpv6IsJudgedAsIpv4() throws Exception {
    List<String> refusedV4 =
        List.of(
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "100.127.255.255",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.1",
            "192.0.0.255",
            "192.0.2.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.255",
            "240.0.0.1",
            "255.255.255.255");
    List<String> refusedV6 =
        List.of(
            "::",
            "::1",
            "fc00::1",
            "fdff:ffff::1",
            "fe80::1",
            "febf::1",
            "ff02::1",
            "2001:db8::1",
            "2001:db8:ffff::1",
            "::127.0.0.1",
            "::10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::6440:1");
    List<String> refusedMapped =
        List.of("127.0.0.1", "169.254.169.254", "100.64.0.1", "198.18.0.1", "10.1.1.1");
    List<String> allowedV4 =
        List.of(
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "11.0.0.1",
            "100.63.255.255",
            "100.128.0.0",
            "126.255.255.255",
            "128.0.0.1",
            "169.253.255.255",
            "172.15.255.255",
            "172.32.0.1",
            "192.0.1.1",
            "192.0.3.1",
            "192.167.255.255",
            "198.17.255.255",
            "198.20.0.1",
            "223.255.255.255");
    List<String> allowedV6 =
        List.of(
            "2001:4860:4860::8888",
            "2606:4700:4700::1111",
            "2001:db9::1",
            "fbff::1",
            "::8.8.8.8",
            "64:ff9b::808:808",
            "2a00:1450:4001::200e");

    for (String address : refusedV4) {
      assertThat(UrlValidator.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
    }
    for (String address : refusedV6) {
      assertThat(UrlValidator.isPrivate(ipv6(address))).as(address).isTrue();
    }
    for (String address : refusedMapped) {
      assertThat(UrlValidator.isPrivate(ipv6(address))).as("::ffff:" + address).isTrue();
    }
    for (String address : allowedV4) {
      assertThat(UrlValidator.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
      assertThat(UrlValidator.isPrivate(ipv6(address))).as("::ffff:" + address).isFalse();
    }
    for (String address : allowedV6) {
      assertThat(UrlValidator.isPrivate(ipv6(address))).as(address).isFalse();
    }
  }

  @Test
  void ipv6LiteralsThatCarryAPrivateIpv4AddressAreRefused() throws Exception {
    UrlValidator validator = new UrlValidator(new HttpFunctionsConfig(List.of("*"), true, false));

    for (String url :
        List.of(
            "http://[::127.0.0.1]:18080/x",
            "http://[::ffff:127.0.0.1]/x",
            "http://[::ffff:7f00:1]/x",
            "http://[64:ff9b::169.254.169.254]/latest/meta-data",
            "http://100.64.0.1/x",
            "http://198.18.0.1/x")) {
      assertThat(refusal(validator, url)).as(url).isEqualTo("Private IP blocked");
    }
    assertThat(refusal(validator, "http://[2001:4860:4860::8888]/x")).isNull();
  }

  @Test
  void everyAddressOfTheAnswerIsChecked() throws Exception {
    HostResolver mixed =
        host -> List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.5"));
    UrlValidator validator =
        new UrlValidator(new HttpFunctionsConfig(List.of("*"), true, false).withResolver(mixed));

    assertThat(refusal(validator, "http://mixed.test/x")).isEqualTo("Private IP blocked");
  }

  @Test
  void aUrlWithCredentialsIsRefusedAndTheMessageHidesThem() throws Exception {
    UrlValidator validator = new UrlValidator(HttpFunctionsConfig.development());

    assertThat(refusal(validator, "http://user:pa55word@127.0.0.1:4000/hook"))
        .isEqualTo("Credentials in the URL are not allowed: http://***@127.0.0.1:4000/hook");
    assertThat(refusal(validator, "http://token@localhost/"))
        .isEqualTo("Credentials in the URL are not allowed: http://***@localhost/");
  }

  @Test
  void redactionHidesUserInformationEvenInTextThatIsNotAUrl() {
    assertThat(UrlRedaction.redact("http://user:pass@host/")).isEqualTo("http://***@host/");
    assertThat(UrlRedaction.redact("https://u:p@ss@host:8443/a?b=c@d"))
        .isEqualTo("https://***@host:8443/a?b=c@d");
    assertThat(UrlRedaction.redact("user:s3cret@host/x")).isEqualTo("***@host/x");
    assertThat(UrlRedaction.redact("http://host/path?mail=a@b.c"))
        .isEqualTo("http://host/path?mail=a@b.c");
    assertThat(UrlRedaction.redact("ws://u:p@[::1]:9/")).isEqualTo("ws://***@[::1]:9/");
    assertThat(UrlRedaction.redact("")).isEmpty();
  }

  @Test
  void anUnclosedClassIsAnInvalidAllowlist() {
    assertThatThrownBy(
            () -> new UrlValidator(new HttpFunctionsConfig(List.of("[invalid"), false, false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[invalid");
  }
}
