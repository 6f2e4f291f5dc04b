package dev.lambkin.gateway.trigger;

import java.util.List;
import java.util.Set;

import dev.lambkin.api.v1alpha1.HttpSource;
import io.vertx.core.MultiMap;

/**
 * A route's CORS, as Lambda's function URLs apply it: the gateway answers a preflight itself, and adds the
 * allow-origin headers to the function's answers for an allowed origin (replacing any the function set). A
 * request from an origin not allowed gets no CORS headers, so the browser refuses it. Plain Java.
 */
public final class Cors {
    private static final List<String> HEADERS = List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
            "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Access-Control-Max-Age",
            "Access-Control-Allow-Credentials");

    private Cors() {
    }

    /** Whether a request is a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method). */
    public static boolean preflight(String method, MultiMap headers) {
        return "OPTIONS".equals(method) && headers.contains("Origin") && headers.contains("Access-Control-Request-Method");
    }

    /** The headers of the gateway's answer to a preflight. */
    public static MultiMap preflightHeaders(HttpSource.Cors cors, Set<HttpSource.Method> routed, MultiMap request) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        String origin = request.get("Origin");
        if (!allowedOrigin(cors, origin)) {
            return out;
        }
        out.add("Access-Control-Allow-Origin", allowOrigin(cors, origin));
        List<String> methods = cors.allowMethods == null || cors.allowMethods.isEmpty()
                ? routed.stream().map(Enum::name).toList() : cors.allowMethods;
        out.add("Access-Control-Allow-Methods", String.join(",", methods));
        if (cors.allowHeaders != null && !cors.allowHeaders.isEmpty()) {
            out.add("Access-Control-Allow-Headers", cors.allowHeaders.contains("*") && request.contains("Access-Control-Request-Headers")
                    && !Boolean.TRUE.equals(cors.allowCredentials)
                            ? request.get("Access-Control-Request-Headers") : String.join(",", cors.allowHeaders));
        }
        if (cors.maxAge != null && cors.maxAge > 0) {
            out.add("Access-Control-Max-Age", String.valueOf(cors.maxAge));
        }
        credentials(cors, out);
        out.add("Vary", "Origin");
        return out;
    }

    /** Puts the CORS headers on the function's answer to an actual cross-origin request. */
    public static void onAnswer(HttpSource.Cors cors, String origin, MultiMap answer) {
        HEADERS.forEach(answer::remove);
        if (!allowedOrigin(cors, origin)) {
            return;
        }
        answer.add("Access-Control-Allow-Origin", allowOrigin(cors, origin));
        if (cors.exposeHeaders != null && !cors.exposeHeaders.isEmpty()) {
            answer.add("Access-Control-Expose-Headers", String.join(",", cors.exposeHeaders));
        }
        credentials(cors, answer);
        answer.add("Vary", "Origin");
    }

    static boolean allowedOrigin(HttpSource.Cors cors, String origin) {
        if (origin == null || cors.allowOrigins == null) {
            return false;
        }
        return cors.allowOrigins.stream().anyMatch(a -> a.equals("*") || a.equalsIgnoreCase(origin));
    }

    /** "*" for any origin, unless credentials are allowed (then the origin itself, as browsers require). */
    private static String allowOrigin(HttpSource.Cors cors, String origin) {
        return cors.allowOrigins.contains("*") && !Boolean.TRUE.equals(cors.allowCredentials) ? "*" : origin;
    }

    private static void credentials(HttpSource.Cors cors, MultiMap out) {
        if (Boolean.TRUE.equals(cors.allowCredentials)) {
            out.add("Access-Control-Allow-Credentials", "true");
        }
    }
}
