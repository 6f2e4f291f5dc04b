package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The API between a Function's image and Lambkin. */
public enum RuntimeApi {
    /** Lambkin's push contract: the image serves HTTP POST / (DESIGN.md, "The runtime contract"). */
    @JsonProperty("lambkin")
    LAMBKIN,
    /** AWS Lambda's Runtime API, served to the image by a Lambkin helper in the pod. */
    @JsonProperty("lambda")
    LAMBDA
}
