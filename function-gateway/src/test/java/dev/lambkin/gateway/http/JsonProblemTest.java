package dev.lambkin.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** Which events the gateway takes as JSON (Lambda's InvalidRequestContentException for the rest). */
class JsonProblemTest {
    static String problem(String body) {
        return InvokeRoutes.jsonProblem(Buffer.buffer(body));
    }

    @Test
    void anyOneJsonValueOrNothingIsAnEvent() {
        assertNull(problem(""));
        assertNull(problem("{\"name\": \"Ada\", \"tags\": [1, 2, {\"x\": null}]}"));
        assertNull(problem("[1, 2]"));
        assertNull(problem("\"just a string\""));
        assertNull(problem("42"));
        assertNull(problem("  {}  \n"));
    }

    @Test
    void brokenOrTrailingJsonIsNamed() {
        assertNotNull(problem("{oops"));
        assertNotNull(problem("{\"a\": 1"));
        assertEquals("more than one JSON value", problem("{} {}"));
        assertNotNull(problem("name=Ada"));
    }
}
