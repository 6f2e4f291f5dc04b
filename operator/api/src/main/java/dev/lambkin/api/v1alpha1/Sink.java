package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where dead letters are forwarded: exactly one of a Function or a URL. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.function) != has(self.url)", message = "sink needs exactly one of function or url")
public class Sink {
    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    @JsonPropertyDescription("Name of a Function in the same namespace invoked asynchronously with each dead letter.")
    public String function;

    @Size(max = 2048)
    @ValidationRule(value = "isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != ''",
            message = "sink.url must be an absolute http or https URL")
    @JsonPropertyDescription("HTTP(S) URL each dead letter is POSTed to as JSON.")
    public String url;
}
