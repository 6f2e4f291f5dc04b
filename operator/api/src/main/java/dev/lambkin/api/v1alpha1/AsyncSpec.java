package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Lambda's asynchronous invocation settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AsyncSpec {
    @Default("2")
    @Min(0)
    @Max(2)
    @JsonPropertyDescription("Retries after the function returns an error for an asynchronous event (0-2, default 2, as Lambda). Throttles and system errors are retried until maxEventAgeSeconds instead.")
    public Integer maxRetries;

    @Default("21600")
    @Min(60)
    @Max(21600)
    @JsonPropertyDescription("Oldest an asynchronous event may get, in seconds (60-21600, default 21600 = 6 hours). Older events go to the dead-letter queue.")
    public Integer maxEventAgeSeconds;

    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    @JsonPropertyDescription("Name of a DeadLetterQueue in the same namespace that receives events whose retries are spent. Unset: such events are dropped with a log line and a metric.")
    public String deadLetterQueue;
}
