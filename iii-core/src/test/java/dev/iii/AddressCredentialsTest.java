package dev.iii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import dev.iii.internal.Urls;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * D15: credentials in the engine address ({@code ws://user:secret@host}) never work — the transport
 * took {@code user:secret@host} for the host name, sent it to DNS and wrote it in every reconnect
 * warning — so the client refuses them when it is built, with a message that does not repeat them,
 * and logs nothing that does.
 */
class AddressCredentialsTest {

  private static final String SECRET = "s3cr3t-pw";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ws://user:" + SECRET + "@127.0.0.1:49134/",
        "wss://user:" + SECRET + "@engine.example:443/ws?x=1",
        "ws://" + SECRET + "@127.0.0.1",
        "ws://user:" + SECRET + "@127.0.0.1:not-a-port/",
        "ws://user:" + SECRET + " with space@127.0.0.1/",
        "http://user:" + SECRET + "@127.0.0.1/"
      })
  void anAddressWithCredentialsIsRefusedWithoutRepeatingThem(String address) {
    try (LogCapture logs = LogCapture.of("dev.iii")) {
      Throwable thrown = catchThrowable(() -> new III(address, InitOptions.defaults()).close());

      assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
      assertThat(thrown.getMessage()).doesNotContain(SECRET).contains("***@");
      assertThat(thrown.getCause()).isNull();
      for (Level level : new Level[] {Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG}) {
        assertThat(logs.messages(level)).noneMatch(line -> line.contains(SECRET));
      }
    }
  }

  @Test
  void theRefusalSaysWhereCredentialsGo() {
    Throwable thrown = catchThrowable(() -> new III("ws://user:" + SECRET + "@127.0.0.1:1/"));

    assertThat(thrown)
        .hasMessageContaining("ws://***@127.0.0.1:1/")
        .hasMessageContaining("must not contain credentials")
        .hasMessageContaining("headers");
  }

  @Test
  void addressesWithoutCredentialsStillWork() {
    try (III client = new III("ws://127.0.0.1:1/path?token=t")) {
      assertThat(client.toString()).contains("ws://127.0.0.1:1/path?token=t");
    }
    assertThat(catchThrowable(() -> new III("ws:///nohost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no host");
  }

  @Test
  void urlsRedactsUserInfoFromParsedAndUnparsedAddresses() {
    assertThat(Urls.redact(URI.create("ws://u:" + SECRET + "@h:1/x"))).isEqualTo("ws://h:1/x");
    assertThat(Urls.redact("ws://u:" + SECRET + "@h:1/x?a=b@c")).isEqualTo("ws://***@h:1/x?a=b@c");
    assertThat(Urls.redact("ws://u:p@ss" + SECRET + "@h")).isEqualTo("ws://***@h");
    assertThat(Urls.redact("u:" + SECRET + "@h")).isEqualTo("***@h");
    assertThat(Urls.redact("ws://h:1/x?mail=a@b")).isEqualTo("ws://h:1/x?mail=a@b");
    assertThat(Urls.redact("not a url")).isEqualTo("not a url");
  }
}
