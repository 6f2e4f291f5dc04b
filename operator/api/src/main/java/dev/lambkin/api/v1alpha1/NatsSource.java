package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A NATS subject whose messages become asynchronous invocations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NatsSource {
    @Required
    @Size(min = 1, max = 255)
    @Pattern("^[^\\s.*>]+(\\.([^\\s.*>]+|\\*))*(\\.>)?$|^>$|^\\*(\\.([^\\s.*>]+|\\*))*(\\.>)?$")
    @JsonPropertyDescription("NATS subject to subscribe to, e.g. orders.created; '*' matches one token and a final '>' the rest.")
    public String subject;

    @Size(max = 255)
    @Pattern("^[^\\s.*>]+$")
    @JsonPropertyDescription("Queue group: gateway replicas share the subject's messages instead of each getting every one. Default: one group per trigger.")
    public String queueGroup;
}
