package dev.iii.engine.modules.channels;

import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/**
 * The channel WebSocket endpoint on the engine port, {@code /ws/channels/{id}?key=<access
 * key>&dir=read|write}, and the sweep of abandoned channels.
 */
public final class ChannelEndpoint implements EngineModule {

  @Override
  public void start(ModuleContext context) {
    // TODO: channels
  }
}
