package dev.iii.spring.worker;

import dev.iii.III;
import dev.iii.engine.EmbeddedEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh embedded engine (free ports) and a connected client that calls the worker's functions.
 */
abstract class EngineAndCallerSupport {

  EmbeddedEngine engine;
  III caller;

  @BeforeEach
  void startEngineAndCaller() {
    engine =
        EmbeddedEngine.builder()
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .build()
            .start();
    caller = new III(engine.wsUrl());
    caller.connect().join();
  }

  @AfterEach
  void stopEngineAndCaller() {
    caller.close();
    engine.close();
  }
}
