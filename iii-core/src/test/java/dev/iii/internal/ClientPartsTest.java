package dev.iii.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the handshake's query parameters are added to the engine address. */
class ClientPartsTest {

  @Test
  void withoutParametersTheAddressIsUnchanged() {
    URI address = URI.create("ws://h:1/x?a=b");

    assertThat(ClientParts.withQuery(address, Map.of())).isSameAs(address);
  }

  @Test
  void parametersAreEncodedAndAppended() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("token", "a b&c=d");
    params.put("é", "ü");

    assertThat(ClientParts.withQuery(URI.create("wss://h:1/ws"), params))
        .hasToString("wss://h:1/ws?token=a%20b%26c%3Dd&%C3%A9=%C3%BC");
  }

  @Test
  void parametersFollowThoseOfTheAddress() {
    assertThat(ClientParts.withQuery(URI.create("ws://h:1/?a=b"), Map.of("c", "d")))
        .hasToString("ws://h:1/?a=b&c=d");
  }

  @Test
  void anAddressWithoutPathGetsTheRootPath() {
    assertThat(ClientParts.withQuery(URI.create("ws://user:pw@h:1"), Map.of("c", "d")))
        .hasToString("ws://user:pw@h:1/?c=d");
  }
}
