package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Lambda's concurrency controls, plus how many requests one instance serves at once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConcurrencySpec {
    @Default("1")
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Invocations one instance (pod) handles at once. Default 1, as Lambda: each request gets an instance of its own.")
    public Integer perInstance;

    @Min(0)
    @Max(100000)
    @JsonPropertyDescription("Reserved concurrency: invocations carved out of the installation's pool for this function alone. It is both a floor (others cannot use it) and a ceiling (this function never runs more at once). 0 stops all invocations. Unset: the function shares the unreserved pool.")
    public Integer reserved;
}
