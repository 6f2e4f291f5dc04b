package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an invocation is made: waiting for the result, or queued (Lambda's RequestResponse and Event). */
public enum InvocationType {
    @JsonProperty("sync")
    SYNC,
    @JsonProperty("async")
    ASYNC
}
