package dev.lambkin.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

/** What was observed of a Trigger. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerStatus {
    @JsonPropertyDescription("Ready: the trigger's function exists, its source is valid and the gateway has armed it; false with a reason otherwise.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("When the trigger last invoked its function (RFC 3339; for a schedule, the scheduled time). Written by the gateway.")
    public String lastFired;

    @JsonPropertyDescription("When a schedule fires next (RFC 3339). Written by the gateway.")
    public String nextFire;

    @JsonPropertyDescription("The gateway's report on the source. Written by the gateway.")
    public SourceStatus source;
}
