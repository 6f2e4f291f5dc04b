package dev.lambkin.gateway.trigger;

import java.util.Base64;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A function's result as the HTTP answer of its route, the way Lambda's function URLs read it: a JSON object with
 * {@code statusCode} is the response ({@code headers}, {@code cookies} as Set-Cookie, {@code body}, base64 when
 * {@code isBase64Encoded}); any other result is a 200 {@code application/json} body as it is. Plain Java.
 */
public final class HttpAnswers {
    /** An HTTP answer; invalid: why the function's result is not a response it could mean (502). */
    public record Answer(int status, MultiMap headers, Buffer body, String invalid) {
    }

    /** Headers the connection owns: a function does not set them. */
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection", "keep-alive",
            "upgrade", "te", "trailer");

    /** RFC 9110 token (a header name) and field value (visible ASCII, spaces and tabs inside, no CR or LF). */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");
    private static final java.util.regex.Pattern FIELD_VALUE = java.util.regex.Pattern.compile("^([\\x21-\\x7E\\x80-\\xFF]([\\t\\x20-\\x7E\\x80-\\xFF]*[\\x21-\\x7E\\x80-\\xFF])?)?$");

    private HttpAnswers() {
    }

    public static Answer of(Buffer result) {
        Object value;
        try {
            value = result.length() == 0 ? null : Json.decodeValue(result);
        } catch (DecodeException notJson) {
            value = null;
        }
        if (!(value instanceof JsonObject o) || !o.containsKey("statusCode")) {
            return new Answer(200, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"), result, null);
        }
        Object code = o.getValue("statusCode");
        int status = code instanceof Number n ? n.intValue() : -1;
        if (status < 200 || status > 599 || (code instanceof Number n && n.doubleValue() != n.intValue())) {
            return invalid("statusCode must be a number from 200 to 599, not " + code);
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (o.getValue("headers") instanceof JsonObject h) {
            for (var e : h) {
                if (e.getValue() != null && !HOP_BY_HOP.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                    String field = String.valueOf(e.getValue());
                    if (!TOKEN.matcher(e.getKey()).matches() || !FIELD_VALUE.matcher(field).matches()) {
                        return invalid("header " + e.getKey() + " is not a valid HTTP header (name or value)");
                    }
                    headers.add(e.getKey(), field);
                }
            }
        } else if (o.getValue("headers") != null) {
            return invalid("headers must be an object of names to values");
        }
        if (o.getValue("cookies") instanceof JsonArray cookies) {
            for (Object c : cookies) {
                if (!FIELD_VALUE.matcher(String.valueOf(c)).matches()) {
                    return invalid("a cookie is not a valid Set-Cookie value");
                }
                headers.add("Set-Cookie", String.valueOf(c));
            }
        } else if (o.getValue("cookies") != null) {
            return invalid("cookies must be an array of Set-Cookie values");
        }
        Object body = o.getValue("body");
        Buffer bytes;
        if (body == null) {
            bytes = Buffer.buffer();
        } else if (!(body instanceof String s)) {
            return invalid("body must be a string");
        } else if (Boolean.TRUE.equals(o.getValue("isBase64Encoded"))) {
            try {
                bytes = Buffer.buffer(Base64.getDecoder().decode(s));
            } catch (IllegalArgumentException e) {
                return invalid("body is not base64 though isBase64Encoded is true");
            }
        } else {
            bytes = Buffer.buffer(s);
        }
        if (!headers.contains("Content-Type") && bytes.length() > 0) {
            headers.add("Content-Type", "application/json");
        }
        return new Answer(status, headers, bytes, null);
    }

    private static Answer invalid(String why) {
        return new Answer(502, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(), "the function's answer is not an HTTP response: " + why);
    }
}
