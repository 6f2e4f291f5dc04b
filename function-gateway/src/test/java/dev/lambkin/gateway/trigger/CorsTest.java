package dev.lambkin.gateway.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.HttpSource;
import io.vertx.core.MultiMap;

class CorsTest {
    static HttpSource.Cors cors(List<String> origins, Boolean credentials) {
        HttpSource.Cors c = new HttpSource.Cors();
        c.allowOrigins = origins;
        c.allowHeaders = List.of("content-type", "x-api-key");
        c.exposeHeaders = List.of("x-request-id");
        c.maxAge = 300;
        c.allowCredentials = credentials;
        return c;
    }

    static MultiMap preflight(String origin) {
        return MultiMap.caseInsensitiveMultiMap().add("Origin", origin).add("Access-Control-Request-Method", "POST");
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnswered() {
        MultiMap h = Cors.preflightHeaders(cors(List.of("https://app.example.com"), null),
                Set.of(HttpSource.Method.POST), preflight("https://app.example.com"));
        assertEquals("https://app.example.com", h.get("Access-Control-Allow-Origin"));
        assertEquals("POST", h.get("Access-Control-Allow-Methods"), "the route's methods when none are named");
        assertEquals("content-type,x-api-key", h.get("Access-Control-Allow-Headers"));
        assertEquals("300", h.get("Access-Control-Max-Age"));
        assertNull(h.get("Access-Control-Allow-Credentials"));
        assertTrue(Cors.preflight("OPTIONS", preflight("https://app.example.com")));
        assertFalse(Cors.preflight("OPTIONS", MultiMap.caseInsensitiveMultiMap().add("Origin", "x")));
    }

    @Test
    void anOriginNotAllowedGetsNoCorsHeaders() {
        assertTrue(Cors.preflightHeaders(cors(List.of("https://app.example.com"), null), Set.of(HttpSource.Method.POST),
                preflight("https://evil.example.com")).isEmpty());
        MultiMap answer = MultiMap.caseInsensitiveMultiMap().add("Access-Control-Allow-Origin", "*");
        Cors.onAnswer(cors(List.of("https://app.example.com"), null), "https://evil.example.com", answer);
        assertNull(answer.get("Access-Control-Allow-Origin"), "the function's own CORS headers give way to the route's");
    }

    @Test
    void anyOriginIsAStarUnlessCredentialsAreAllowed() {
        MultiMap answer = MultiMap.caseInsensitiveMultiMap();
        Cors.onAnswer(cors(List.of("*"), null), "https://a.example", answer);
        assertEquals("*", answer.get("Access-Control-Allow-Origin"));
        assertEquals("x-request-id", answer.get("Access-Control-Expose-Headers"));
        MultiMap withCredentials = MultiMap.caseInsensitiveMultiMap();
        Cors.onAnswer(cors(List.of("https://a.example"), true), "https://a.example", withCredentials);
        assertEquals("https://a.example", withCredentials.get("Access-Control-Allow-Origin"));
        assertEquals("true", withCredentials.get("Access-Control-Allow-Credentials"));
    }
}
