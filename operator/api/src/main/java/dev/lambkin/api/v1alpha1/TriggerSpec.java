package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which function a trigger invokes, and from which source. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.schedule), has(self.http), has(self.nats)].filter(x, x).size() == 1",
        message = "exactly one of schedule, http or nats must be set")
@ValidationRule(value = "!(has(self.schedule) || has(self.nats)) || !has(self.invocationType) || self.invocationType == 'async'",
        message = "invocationType must be async for schedule and nats triggers: their events are queued, nobody waits for the result")
public class TriggerSpec {
    @Required
    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    @JsonPropertyDescription("Name of the Function in the same namespace that this trigger invokes.")
    public String function;

    @JsonPropertyDescription("sync: the caller waits for the result; async: the event is queued and retried (Lambda's Event invocation). Default: sync for http, async for schedule and nats.")
    public InvocationType invocationType;

    @JsonPropertyDescription("Invoke on a cron schedule (asynchronously).")
    public ScheduleSource schedule;

    @JsonPropertyDescription("Invoke on HTTP requests to a path of the gateway.")
    public HttpSource http;

    @JsonPropertyDescription("Invoke for every message on a NATS subject (asynchronously).")
    public NatsSource nats;
}
