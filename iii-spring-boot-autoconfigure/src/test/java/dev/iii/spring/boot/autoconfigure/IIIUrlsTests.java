package dev.iii.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Engine addresses shown to people never carry credentials. */
class IIIUrlsTests {

  @Test
  void keepsAPlainAddress() {
    assertThat(IIIUrls.withoutCredentials(URI.create("ws://engine:49134/ws")))
        .isEqualTo("ws://engine:49134/ws");
  }

  @Test
  void dropsUserInfoAndQuery() {
    assertThat(IIIUrls.withoutCredentials(URI.create("wss://user:secret@engine:443/ws?token=abc")))
        .isEqualTo("wss://engine:443/ws");
  }
}
