package dev.iii.engine.registry;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Services: informational groups of functions, declared by workers or derived from ids. */
public final class ServiceRegistry {

  /** A service as declared. */
  public record Service(
      String id, String name, @Nullable String description, @Nullable String parentServiceId) {}

  private final Map<String, Service> services = new ConcurrentHashMap<>();

  public void register(Service service) {
    services.put(service.id(), service);
  }

  /**
   * Records the service a function id implies: the part before the first dot, as the official
   * engine does. Ids without a dot imply none.
   */
  public void registerFromFunctionId(String functionId) {
    int dot = functionId.indexOf('.');
    if (dot > 0) {
      String name = functionId.substring(0, dot);
      services.putIfAbsent(name, new Service(name, name, null, null));
    }
  }

  public List<Service> all() {
    return services.values().stream().sorted(Comparator.comparing(Service::id)).toList();
  }
}
