package dev.lambkin.gateway.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class HttpAnswersTest {
    @Test
    void aResponseObjectIsTheResponse() {
        HttpAnswers.Answer a = HttpAnswers.of(new JsonObject().put("statusCode", 201)
                .put("headers", new JsonObject().put("content-type", "text/plain").put("x-n", 3).put("Content-Length", "999"))
                .put("cookies", new JsonArray().add("a=1; Path=/").add("b=2")).put("body", "made").toBuffer());
        assertNull(a.invalid());
        assertEquals(201, a.status());
        assertEquals("text/plain", a.headers().get("Content-Type"));
        assertEquals("3", a.headers().get("x-n"));
        assertNull(a.headers().get("content-length"), "the connection's headers are the gateway's");
        assertEquals(List.of("a=1; Path=/", "b=2"), a.headers().getAll("Set-Cookie"));
        assertEquals("made", a.body().toString());
    }

    @Test
    void aBase64BodyIsDecoded() {
        HttpAnswers.Answer a = HttpAnswers.of(new JsonObject().put("statusCode", 200).put("isBase64Encoded", true)
                .put("headers", new JsonObject().put("content-type", "image/png")).put("body", "iVBORw==").toBuffer());
        assertEquals(Buffer.buffer(new byte[] {(byte) 0x89, 'P', 'N', 'G'}), a.body());
    }

    @Test
    void anyOtherResultIsA200JsonBody() {
        for (String result : List.of("{\"message\":\"hi\"}", "[1,2]", "\"text\"", "42", "")) {
            HttpAnswers.Answer a = HttpAnswers.of(Buffer.buffer(result));
            assertEquals(200, a.status(), result);
            assertEquals("application/json", a.headers().get("Content-Type"));
            assertEquals(result, a.body().toString());
        }
    }

    @Test
    void aResponseObjectThatIsNotOneIsA502() {
        for (String bad : List.of("{\"statusCode\":\"ok\"}", "{\"statusCode\":99}", "{\"statusCode\":200,\"body\":{}}",
                "{\"statusCode\":200,\"headers\":[]}", "{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"*\"}",
                // an interim status, a header that would split the answer, a header name that is not a token
                "{\"statusCode\":100}", "{\"statusCode\":200,\"headers\":{\"x-id\":\"abc\\r\\nSet-Cookie: a=b\"}}",
                "{\"statusCode\":200,\"headers\":{\"x id\":\"1\"}}", "{\"statusCode\":200,\"cookies\":[\"a=b\\n\"]}")) {
            HttpAnswers.Answer a = HttpAnswers.of(Buffer.buffer(bad));
            assertEquals(502, a.status(), bad);
            assertNotNull(a.invalid(), bad);
        }
    }
}
