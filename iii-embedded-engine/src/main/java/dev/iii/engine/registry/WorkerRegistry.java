package dev.iii.engine.registry;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The connected workers, by id. */
public final class WorkerRegistry {

  private final Map<String, Worker> workers = new ConcurrentHashMap<>();

  public void add(Worker worker) {
    workers.put(worker.id(), worker);
  }

  public void remove(Worker worker) {
    workers.remove(worker.id(), worker);
  }

  public Optional<Worker> get(String id) {
    return Optional.ofNullable(workers.get(id));
  }

  /** Every connected worker, oldest connection first. */
  public List<Worker> all() {
    return workers.values().stream()
        .sorted(Comparator.comparingLong(Worker::connectedAtMs))
        .toList();
  }

  public Collection<Worker> snapshot() {
    return List.copyOf(workers.values());
  }
}
