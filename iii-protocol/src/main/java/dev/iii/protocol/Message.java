package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One message of the iii worker protocol. Every message is a JSON object whose lower-case {@code
 * type} names the record; the other fields sit next to it. The set is v0.22.1's, plus the 0.23
 * {@code registrationrejected} and the {@code error} frame an engine with access control sends
 * before it refuses a connection.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RegisterFunction.class, name = "registerfunction"),
  @JsonSubTypes.Type(value = UnregisterFunction.class, name = "unregisterfunction"),
  @JsonSubTypes.Type(value = RegisterService.class, name = "registerservice"),
  @JsonSubTypes.Type(value = RegisterTriggerType.class, name = "registertriggertype"),
  @JsonSubTypes.Type(value = UnregisterTriggerType.class, name = "unregistertriggertype"),
  @JsonSubTypes.Type(value = RegisterTrigger.class, name = "registertrigger"),
  @JsonSubTypes.Type(value = UnregisterTrigger.class, name = "unregistertrigger"),
  @JsonSubTypes.Type(value = TriggerRegistrationResult.class, name = "triggerregistrationresult"),
  @JsonSubTypes.Type(value = InvokeFunction.class, name = "invokefunction"),
  @JsonSubTypes.Type(value = InvocationResult.class, name = "invocationresult"),
  @JsonSubTypes.Type(value = WorkerRegistered.class, name = "workerregistered"),
  @JsonSubTypes.Type(value = Reattach.class, name = "reattach"),
  @JsonSubTypes.Type(value = RegistrationRejected.class, name = "registrationrejected"),
  @JsonSubTypes.Type(value = EngineError.class, name = "error"),
  @JsonSubTypes.Type(value = Ping.class, name = "ping"),
  @JsonSubTypes.Type(value = Pong.class, name = "pong")
})
public sealed interface Message
    permits RegisterFunction,
        UnregisterFunction,
        RegisterService,
        RegisterTriggerType,
        UnregisterTriggerType,
        RegisterTrigger,
        UnregisterTrigger,
        TriggerRegistrationResult,
        InvokeFunction,
        InvocationResult,
        WorkerRegistered,
        Reattach,
        RegistrationRejected,
        EngineError,
        Ping,
        Pong {

  /** The wire value of the {@code type} field. */
  String type();
}
