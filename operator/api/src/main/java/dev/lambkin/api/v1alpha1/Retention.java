package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Retention limits of a dead-letter queue's stream. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Retention {
    /** A Go/Kubernetes duration such as 90m, 336h or 1h30m. */
    public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

    @Default("336h")
    @Pattern(DURATION_PATTERN)
    @JsonPropertyDescription("Oldest a dead letter may get before it is deleted, as a duration such as 336h (the default, 14 days, as SQS's longest) or 90m.")
    public String maxAge;

    @Default("100000")
    @Min(1)
    @Max(100000000)
    @JsonPropertyDescription("Most dead letters kept; past it the oldest is deleted. Default 100000.")
    public Long maxMessages;
}
