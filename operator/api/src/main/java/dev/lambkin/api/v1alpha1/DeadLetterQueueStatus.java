package dev.lambkin.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

/** What the operator read of a queue's stream. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLetterQueueStatus {
    @JsonPropertyDescription("Ready: the queue's stream exists with the spec's retention; false with a reason otherwise.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Dead letters in the queue.")
    public Long messages;

    @JsonPropertyDescription("Age of the oldest dead letter, as a duration (e.g. 3h12m).")
    public String oldestMessageAge;
}
