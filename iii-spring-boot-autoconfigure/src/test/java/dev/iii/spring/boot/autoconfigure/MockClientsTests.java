package dev.iii.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;

import dev.iii.III;
import dev.iii.IIIClient;
import org.junit.jupiter.api.Test;

/** Which clients count as mocks: Mockito mocks do, spies and real clients do not. */
class MockClientsTests {

  @Test
  void aMockitoMockIsAMock() {
    assertThat(MockClients.isMock(mock(IIIClient.class))).isTrue();
    assertThat(MockClients.isMock(mock(III.class))).isTrue();
  }

  @Test
  void aSpyOrARealClientIsNot() {
    III real = new III("ws://127.0.0.1:1");
    try {
      assertThat(MockClients.isMock(real)).isFalse();
      assertThat(MockClients.isMock(spy(real))).isFalse();
    } finally {
      real.close();
    }
  }
}
