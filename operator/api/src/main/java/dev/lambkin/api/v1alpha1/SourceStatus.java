package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Whether a Trigger's source is live on the gateway, as the gateway reports it (the operator reads it for Ready,
 * never writes it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceStatus {
    @JsonPropertyDescription("True when the gateway has armed the source (schedule registered, route installed, subscription active).")
    public Boolean armed;

    @JsonPropertyDescription("Why, in CamelCase: e.g. Scheduled, or a reason it is not armed.")
    public String reason;

    @JsonPropertyDescription("Human-readable detail.")
    public String message;

    @JsonPropertyDescription("The metadata.generation of the Trigger the gateway armed.")
    public Long observedGeneration;
}
