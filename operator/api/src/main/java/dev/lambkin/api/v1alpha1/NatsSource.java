package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A NATS subject of the installation's NATS whose messages become asynchronous invocations: from core NATS
 * (at most once: a message published while no gateway listens is gone), or from a JetStream stream through a
 * durable consumer (at least once: a message is acknowledged only once its event is stored).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.stream) || !has(self.queueGroup)",
        message = "queueGroup is for core NATS; a stream's durable consumer already shares messages among the gateways")
@ValidationRule(value = "!self.subject.matches('^(lambkin|_INBOX|[*>]|[$].*)([.].*)?$')",
        message = "subject must start with a name, not a wildcard, lambkin, _INBOX or $: those would take Lambkin's and NATS's own messages")
public class NatsSource {
    @Required
    @Size(min = 1, max = 255)
    @Pattern("^[^\\s.*>]+(\\.([^\\s.*>]+|\\*))*(\\.>)?$|^>$|^\\*(\\.([^\\s.*>]+|\\*))*(\\.>)?$")
    @JsonPropertyDescription("NATS subject to listen to, e.g. orders.created; '*' matches one token and a final '>' the rest.")
    public String subject;

    @Size(max = 255)
    @Pattern("^[^\\s.*>]+$")
    @JsonPropertyDescription("Core NATS queue group: gateway replicas share the subject's messages. Default: one group per trigger (each message invokes once).")
    public String queueGroup;

    @Size(max = 255)
    @Pattern("^[^\\s.*>/\\\\]+$")
    @JsonPropertyDescription("A JetStream stream that stores the subject: the gateways read it through a durable consumer of their own (new messages from when the trigger is armed) and acknowledge a message once its event is stored, so none is lost when a gateway dies.")
    public String stream;
}
