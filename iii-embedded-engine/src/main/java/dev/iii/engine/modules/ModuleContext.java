package dev.iii.engine.modules;

import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.WorkerRegistry;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.router.MessageRouter;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a module may use: the registries, the routers, the channels, and the engine's scheduler (one
 * thread: schedule work on it, never block it).
 */
public record ModuleContext(
    WorkerRegistry workers,
    FunctionRegistry functions,
    TriggerRegistry triggers,
    InvocationRouter invocations,
    MessageRouter messages,
    ChannelRegistry channels,
    ScheduledExecutorService scheduler) {}
