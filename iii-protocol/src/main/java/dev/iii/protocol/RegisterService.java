package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * W→E: declare a service that groups functions. Engine 0.8.3 requires {@code name}; newer engines
 * default it, so senders always fill it in (with the id when nothing better is known).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterService(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty("name") @Nullable String name,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("parent_service_id") @Nullable String parentServiceId)
    implements Message {

  public RegisterService {
    java.util.Objects.requireNonNull(id, "id");
  }

  @Override
  public String type() {
    return "registerservice";
  }
}
