package dev.lambkin.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

/** What the operator and the gateway observed of a Function. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FunctionStatus {
    @JsonPropertyDescription("Ready: the function can be invoked (true also at zero instances). Detail types say why not.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Instances asked for (the Deployment's replicas).")
    public Integer replicas;

    @JsonPropertyDescription("Instances ready to take invocations.")
    public Integer readyReplicas;

    @JsonPropertyDescription("Gateway URL that invokes the function: POST the event to it.")
    public String url;

    @JsonPropertyDescription("When the instance count last changed (RFC 3339).")
    public String lastScaleTime;

    @JsonPropertyDescription("Invocations that waited for an instance to start.")
    public Long coldStarts;
}
