package dev.lambkin.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An HTTP route on the gateway that invokes the function (Lambda's function URL / API Gateway route). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpSource {
    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^/[A-Za-z0-9._~!$&'()*+,;=:@%/\\-]*$")
    @JsonPropertyDescription("Path on the gateway, starting with '/', e.g. /orders. Requests to it and below it invoke the function.")
    public String path;

    @Size(max = 9)
    @JsonPropertyDescription("HTTP methods routed. Default: all.")
    public List<Method> methods;

    @Default("public")
    @JsonPropertyDescription("public: anyone who reaches the gateway may call; kubernetes: the caller needs a bearer token allowed to 'invoke' functions.lambkin.dev in this namespace (TokenReview + SubjectAccessReview).")
    public Auth auth;

    /** HTTP methods a route accepts. */
    public enum Method { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS }

    /** Who may call the route. */
    public enum Auth {
        @JsonProperty("public")
        PUBLIC,
        @JsonProperty("kubernetes")
        KUBERNETES
    }
}
