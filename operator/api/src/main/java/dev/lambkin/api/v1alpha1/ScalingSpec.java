package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Bounds the gateway's autoscaler keeps the function's instances within. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.maxInstances) || !has(self.minInstances) || self.minInstances <= self.maxInstances",
        message = "scaling.minInstances must not exceed scaling.maxInstances")
public class ScalingSpec {
    public static final int DEFAULT_IDLE_SECONDS = 120;

    @Default("0")
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Instances kept running even without work. 0 (the default) scales to zero when idle; more keeps instances warm, as Lambda's provisioned concurrency.")
    public Integer minInstances;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Most instances the autoscaler starts. Unset: bounded only by the function's concurrency.")
    public Integer maxInstances;

    @Default("120")
    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("Seconds without any invocation before the function scales down to minInstances (to zero by default). Default 120.")
    public Integer idleSeconds;
}
