package dev.iii.engine.registry;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The engine modules running in this process, as the official engine lists its in-process workers
 * ({@code runtime: "engine"}): each with the functions and trigger types it registered.
 *
 * <p>Thread-safe: modules are added once at start (copy-on-write list); each module's id sets are
 * concurrent.
 */
public final class ModuleDirectory {

  /**
   * One in-process worker.
   *
   * @param name its worker name, e.g. {@code iii-http} (also its id)
   * @param description what it does, or {@code null}
   * @param internal whether it is a mandatory part of the engine
   * @param startedAtMs when it started, Unix milliseconds
   */
  public record Module(
      String name,
      @Nullable String description,
      boolean internal,
      long startedAtMs,
      Set<String> functionIds,
      Set<String> triggerTypeIds) {

    /** The functions it registered, sorted. */
    public List<String> functions() {
      return List.copyOf(functionIds);
    }
  }

  private final List<Module> modules = new CopyOnWriteArrayList<>();

  /**
   * Adds a module.
   *
   * @throws IllegalArgumentException when a module of that name is already listed
   */
  public Module add(String name, @Nullable String description, boolean internal) {
    if (byName(name).isPresent()) {
      throw new IllegalArgumentException("module " + name + " is already installed");
    }
    Module module =
        new Module(
            name,
            description,
            internal,
            System.currentTimeMillis(),
            new ConcurrentSkipListSet<>(),
            new ConcurrentSkipListSet<>());
    modules.add(module);
    return module;
  }

  /** Every module, in start order. */
  public List<Module> all() {
    return List.copyOf(modules);
  }

  public Optional<Module> byName(String name) {
    return modules.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** Forgets every module (the engine stopped). */
  public void clear() {
    modules.clear();
  }
}
