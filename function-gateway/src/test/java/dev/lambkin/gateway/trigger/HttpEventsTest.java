package dev.lambkin.gateway.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.HttpSource;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class HttpEventsTest {
    static final RouteTable.Route ROUTE = new RouteTable.Route("u", 1, "shop", "cart", "cart-fn", "", "/cart",
            Set.of(HttpSource.Method.POST), false, HttpSource.Auth.KUBERNETES, null);

    static HttpEvents.Request request(MultiMap headers, Buffer body) {
        return new HttpEvents.Request("POST", "/cart/items%2F1", "a=1&b=x%20y&a=2", "HTTP/1.1", "10.0.0.7", "shop.example.com",
                headers, body, "req-1", Instant.parse("2020-03-12T19:03:58.390Z"));
    }

    @Test
    void aRequestBecomesAPayload20Event() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("X-Multi", "1")
                .add("x-multi", "2").add("Cookie", "a=1; b=2").add("Authorization", "Bearer secret").add("User-Agent", "curl/8");
        JsonObject e = HttpEvents.of(ROUTE, request(headers, Buffer.buffer("{\"n\":1}")), List.of("authorization"));
        assertEquals("2.0", e.getString("version"));
        assertEquals("$default", e.getString("routeKey"));
        assertEquals("/cart/items%2F1", e.getString("rawPath"));
        assertEquals("a=1&b=x%20y&a=2", e.getString("rawQueryString"));
        assertEquals(new JsonArray().add("a=1").add("b=2"), e.getJsonArray("cookies"));
        JsonObject h = e.getJsonObject("headers");
        assertEquals("1,2", h.getString("x-multi"));
        assertEquals("application/json", h.getString("content-type"));
        assertNull(h.getString("cookie"), "cookies are taken out of the headers");
        assertNull(h.getString("authorization"), "the route's credentials are not passed on");
        assertEquals("10.0.0.7", h.getString("x-forwarded-for"));
        assertEquals(new JsonObject().put("a", "1,2").put("b", "x y"), e.getJsonObject("queryStringParameters"));
        JsonObject ctx = e.getJsonObject("requestContext");
        assertEquals("shop", ctx.getString("accountId"));
        assertEquals("shop.example.com", ctx.getString("domainName"));
        assertEquals("shop", ctx.getString("domainPrefix"));
        assertEquals("req-1", ctx.getString("requestId"));
        assertEquals("12/Mar/2020:19:03:58 +0000", ctx.getString("time"));
        assertEquals(1584039838390L, ctx.getLong("timeEpoch"));
        assertEquals(new JsonObject().put("method", "POST").put("path", "/cart/items%2F1").put("protocol", "HTTP/1.1")
                .put("sourceIp", "10.0.0.7").put("userAgent", "curl/8"), ctx.getJsonObject("http"));
        assertEquals("{\"n\":1}", e.getString("body"));
        assertFalse(e.getBoolean("isBase64Encoded"));
    }

    @Test
    void aBinaryBodyIsBase64AndNoBodyIsNone() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1};
        JsonObject e = HttpEvents.of(ROUTE, request(MultiMap.caseInsensitiveMultiMap().add("Content-Type", "image/png"),
                Buffer.buffer(png)), List.of());
        assertTrue(e.getBoolean("isBase64Encoded"));
        assertEquals(Base64.getEncoder().encodeToString(png), e.getString("body"));
        JsonObject none = HttpEvents.of(ROUTE, new HttpEvents.Request("GET", "/cart", "", "HTTP/1.1", "10.0.0.7", "h",
                MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(), "r", Instant.EPOCH), List.of());
        assertFalse(none.containsKey("body"));
        assertFalse(none.containsKey("queryStringParameters"));
        assertFalse(none.containsKey("cookies"));
    }

    @Test
    void textTypesAreText() {
        for (String t : List.of("text/plain; charset=utf-8", "application/json", "application/vnd.api+json",
                "application/x-www-form-urlencoded", "application/xml")) {
            assertTrue(HttpEvents.textual(t), t);
        }
        for (String t : List.of("application/octet-stream", "image/png", "multipart/form-data; boundary=x")) {
            assertFalse(HttpEvents.textual(t), t);
        }
        assertFalse(HttpEvents.textual(null));
    }
}
