package dev.iii.engine.registry;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every routable function, one handler per id. A later registration of the same id by a worker
 * replaces the earlier one (as in the official engine); engine built-ins cannot be replaced.
 */
public final class FunctionRegistry {

  private static final Logger log = LoggerFactory.getLogger(FunctionRegistry.class);

  private final Map<String, RegisteredFunction> functions = new ConcurrentHashMap<>();
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

  /**
   * Adds or replaces a function.
   *
   * @return {@code false} when refused because the id belongs to an engine built-in
   */
  public boolean register(RegisteredFunction function) {
    RegisteredFunction[] previous = new RegisteredFunction[1];
    boolean[] refused = {false};
    functions.compute(
        function.id(),
        (id, existing) -> {
          if (existing != null && existing.isBuiltin() && !function.isBuiltin()) {
            refused[0] = true;
            return existing;
          }
          previous[0] = existing;
          return function;
        });
    if (refused[0]) {
      log.warn(
          "Refused to replace engine function {} with one from {}",
          function.id(),
          function.owner());
      return false;
    }
    if (previous[0] != null && previous[0].owner() != function.owner()) {
      log.warn("Function {} already registered. Overwriting.", function.id());
    }
    if (previous[0] == null) {
      changed();
    }
    return true;
  }

  /** Removes a function whatever its owner ({@code unregisterfunction} is not owner-checked). */
  public boolean remove(String id) {
    boolean[] removed = {false};
    functions.computeIfPresent(
        id,
        (k, f) -> {
          if (f.isBuiltin()) {
            return f;
          }
          removed[0] = true;
          return null;
        });
    if (removed[0]) {
      changed();
    }
    return removed[0];
  }

  /**
   * Removes a function only while the given worker still owns it, so a worker that disconnects does
   * not take down a function another worker has since registered under the same id.
   */
  public boolean removeIfOwnedBy(String id, Worker owner) {
    boolean[] removed = {false};
    functions.computeIfPresent(
        id,
        (k, f) -> {
          if (f.owner() == owner) {
            removed[0] = true;
            return null;
          }
          return f;
        });
    if (removed[0]) {
      changed();
    }
    return removed[0];
  }

  public Optional<RegisteredFunction> get(String id) {
    return Optional.ofNullable(functions.get(id));
  }

  /** All functions, sorted by id. */
  public List<RegisteredFunction> all() {
    return functions.values().stream()
        .sorted(Comparator.comparing(RegisteredFunction::id))
        .toList();
  }

  /** Ids of the functions the given worker currently owns. */
  public List<String> ownedBy(Worker worker) {
    return functions.values().stream()
        .filter(f -> f.owner() == worker)
        .map(RegisteredFunction::id)
        .sorted()
        .toList();
  }

  /** Called (on the mutating thread) whenever the set of function ids changes. */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  private void changed() {
    changeListeners.forEach(Runnable::run);
  }
}
