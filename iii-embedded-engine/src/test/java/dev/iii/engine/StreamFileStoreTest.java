package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.III;
import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.StreamConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream items in a {@code file_based} store outlive the engine that wrote them. */
class StreamFileStoreTest {

  @TempDir Path dir;

  private EmbeddedEngine start() {
    StreamConfig stream =
        new StreamConfig("127.0.0.1", 0, null, StreamConfig.FILE_BASED, dir.toString(), 60_000);
    return EmbeddedEngine.builder()
        .config(EngineConfig.development().withStream(stream))
        .host("127.0.0.1")
        .port(0)
        .httpPort(0)
        .build()
        .start();
  }

  @Test
  void itemsSurviveAnEngineRestart() {
    Map<String, Object> item = Map.of("stream_name", "chat", "group_id", "room-1", "item_id", "m1");
    try (EmbeddedEngine engine = start();
        III client = new III(engine.wsUrl())) {
      client.connect().join();
      client
          .call(
              "stream::set",
              Map.of("stream_name", "chat", "group_id", "room-1", "item_id", "m1", "data", "hi"))
          .join();
    }

    // The save interval is a minute: the value is on disk because closing saves it.
    try (EmbeddedEngine engine = start();
        III client = new III(engine.wsUrl())) {
      client.connect().join();
      assertThat(client.call("stream::get", item).join()).isEqualTo("hi");
    }
  }
}
