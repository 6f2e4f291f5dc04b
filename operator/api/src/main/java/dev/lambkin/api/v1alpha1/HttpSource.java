package dev.lambkin.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An HTTP route on the gateway that invokes the function (Lambda's function URL / API Gateway route). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = HttpSource.NOT_RESERVED, message = "path must not be under the gateway's own prefixes "
        + "/functions, /deadletterqueues, /q and /2015-03-31")
@ValidationRule(value = "self.path == '/' || !self.path.endsWith('/')", message = "path must not end with '/' (it routes everything below it anyway)")
@ValidationRule(value = "!self.path.contains('//') && !self.path.matches('(^|.*/)\\\\.\\\\.?(/.*|$)')",
        message = "path must not contain empty, '.' or '..' segments")
public class HttpSource {
    /** The gateway's own path prefixes, which no route may claim (the gateway also refuses them at run time). */
    public static final List<String> RESERVED_PREFIXES = List.of("/functions", "/deadletterqueues", "/q", "/2015-03-31", "/openapi.yaml");
    /** The CEL rule of {@link #RESERVED_PREFIXES}. */
    static final String NOT_RESERVED = "!['/functions', '/deadletterqueues', '/q', '/2015-03-31', '/openapi.yaml']"
            + ".exists(p, self.path == p || self.path.startsWith(p + '/'))";

    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^/[A-Za-z0-9._~!$&'()*+,;=:@%/\\-]*$")
    @JsonPropertyDescription("Path on the gateway, starting with '/', e.g. /orders. Requests to it and below it invoke the function (the longest matching path wins).")
    public String path;

    @Size(max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @JsonPropertyDescription("Only requests for this host name (the Host header, without port) take the route, e.g. orders.example.com. Default: any host (routes naming the request's host are looked at first).")
    public String host;

    @Size(max = 7)
    @JsonPropertyDescription("HTTP methods routed. Default: all. Two Triggers may share a path with different methods.")
    public List<Method> methods;

    @Default("public")
    @JsonPropertyDescription("public: anyone who reaches the gateway may call; kubernetes: the caller needs a bearer token allowed to 'invoke' functions.lambkin.dev in this namespace (TokenReview + SubjectAccessReview). The token is not passed on to the function.")
    public Auth auth;

    @JsonPropertyDescription("Cross-origin resource sharing, as Lambda's function URLs offer it: the gateway answers preflight requests itself and adds the CORS headers to the function's answers. Default: none (the function's own headers go out as they are).")
    public Cors cors;

    /** HTTP methods a route accepts. */
    public enum Method { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS }

    /** Who may call the route. */
    public enum Auth {
        @JsonProperty("public")
        PUBLIC,
        @JsonProperty("kubernetes")
        KUBERNETES
    }

    /** A function URL's CORS settings. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!(has(self.allowCredentials) && self.allowCredentials && has(self.allowOrigins) && '*' in self.allowOrigins)",
            message = "allowCredentials cannot be used with the '*' origin (browsers refuse it): name the origins")
    public static class Cors {
        @Size(max = 100)
        @JsonPropertyDescription("Origins allowed, e.g. https://app.example.com, or '*' for any.")
        public List<@Size(max = 253) @Pattern("^(\\*|https?://[^\\s/]+)$") String> allowOrigins;

        @Size(max = 8)
        @JsonPropertyDescription("Methods allowed, e.g. GET, POST, or '*'. Default: the route's methods.")
        public List<@Pattern("^(\\*|GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$") String> allowMethods;

        @Size(max = 100)
        @JsonPropertyDescription("Request headers allowed, e.g. content-type, or '*'.")
        public List<@Size(max = 1024) @Pattern("^(\\*|[!#$%&'*+.^_`|~0-9A-Za-z-]+)$") String> allowHeaders;

        @Size(max = 100)
        @JsonPropertyDescription("Response headers the browser may read.")
        public List<@Size(max = 1024) @Pattern("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$") String> exposeHeaders;

        @io.fabric8.generator.annotation.Min(0)
        @io.fabric8.generator.annotation.Max(86400)
        @JsonPropertyDescription("Seconds a browser may cache a preflight answer. Default: 0 (no Access-Control-Max-Age).")
        public Integer maxAge;

        @JsonPropertyDescription("Whether credentials (cookies, authorization) may be sent cross-origin.")
        public Boolean allowCredentials;
    }
}
