package dev.lambkin.gateway.trigger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The event an HTTP route gives its function: API Gateway's HTTP API / Lambda function URL payload format 2.0, so a
 * function written for function URLs runs unchanged. Plain Java.
 */
public final class HttpEvents {
    /** What the gateway saw of the request. rawPath and rawQuery as received; sourceIp of the connection. */
    public record Request(String method, String rawPath, String rawQuery, String protocol, String sourceIp, String host,
            MultiMap headers, Buffer body, String requestId, Instant time) {
    }

    /** The request context's time, as API Gateway writes it: 12/Mar/2020:19:03:58 +0000. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private HttpEvents() {
    }

    /**
     * The 2.0 event. Header names lower-cased, repeated headers and query parameters joined with commas, cookies
     * taken out of the cookie header; {@code dropped} names headers not to pass on (a route's bearer token). The
     * body is text when its content type says so, else base64 ({@code isBase64Encoded}).
     */
    public static JsonObject of(RouteTable.Route route, Request request, List<String> dropped) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!dropped.contains(name)) {
                headers.merge(name, h.getValue(), (a, b) -> a + "," + b);
            }
        });
        JsonArray cookies = new JsonArray();
        String cookieHeader = headers.remove("cookie");
        if (cookieHeader != null) {
            for (String c : cookieHeader.split(";|,")) {
                if (!c.isBlank()) {
                    cookies.add(c.strip());
                }
            }
        }
        headers.merge("x-forwarded-for", request.sourceIp(), (a, b) -> a + ", " + b);
        headers.putIfAbsent("x-forwarded-proto", "http");
        String rawQuery = request.rawQuery() == null ? "" : request.rawQuery();
        JsonObject event = new JsonObject()
                .put("version", "2.0")
                .put("routeKey", "$default")
                .put("rawPath", request.rawPath())
                .put("rawQueryString", rawQuery);
        if (!cookies.isEmpty()) {
            event.put("cookies", cookies);
        }
        event.put("headers", new JsonObject(new LinkedHashMap<>(headers)));
        if (!rawQuery.isEmpty()) {
            JsonObject query = new JsonObject();
            new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false).parameters()
                    .forEach((k, v) -> query.put(k, String.join(",", v)));
            event.put("queryStringParameters", query);
        }
        String host = request.host() == null ? "" : request.host();
        event.put("requestContext", new JsonObject()
                .put("accountId", route.namespace())
                .put("apiId", route.trigger())
                .put("domainName", host)
                .put("domainPrefix", host.contains(".") ? host.substring(0, host.indexOf('.')) : host)
                .put("http", new JsonObject().put("method", request.method()).put("path", request.rawPath())
                        .put("protocol", request.protocol()).put("sourceIp", request.sourceIp())
                        .put("userAgent", headers.getOrDefault("user-agent", "")))
                .put("requestId", request.requestId())
                .put("routeKey", "$default")
                .put("stage", "$default")
                .put("time", TIME.format(request.time()))
                .put("timeEpoch", request.time().toEpochMilli()));
        Buffer body = request.body();
        if (body != null && body.length() > 0) {
            boolean text = textual(headers.get("content-type"));
            event.put("body", text ? body.toString(StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body.getBytes()));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    /** Whether a body of this content type goes to the function as text (as function URLs decide it). */
    static boolean textual(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        return t.startsWith("text/") || t.equals("application/json") || t.endsWith("+json") || t.equals("application/xml")
                || t.endsWith("+xml") || t.equals("application/javascript") || t.equals("application/x-www-form-urlencoded")
                || t.equals("application/graphql") || t.equals("application/yaml");
    }
}
