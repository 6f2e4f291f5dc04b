package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How long dead letters are kept and where they are forwarded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLetterQueueSpec {
    @JsonPropertyDescription("How long and how many dead letters the queue keeps; the oldest go first.")
    public Retention retention;

    @JsonPropertyDescription("Where each dead letter is also forwarded: another Function, or an HTTP URL.")
    public Sink sink;
}
