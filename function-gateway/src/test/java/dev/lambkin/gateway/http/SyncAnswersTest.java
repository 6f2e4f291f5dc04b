package dev.lambkin.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.invoke.Outcome;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Every outcome's synchronous answer: function errors are 200 + Lambda's payload, the system's are honest codes. */
class SyncAnswersTest {
    @Test
    void functionErrorsOfEveryCauseAreAnsweredWithTheFunctionsPayloadNotAnErrorStatus() {
        assertNull(SyncAnswers.error(new Outcome.Answered("p", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{}"))));
        assertNull(SyncAnswers.error(new Outcome.FunctionError("p", "Handled", "Boom", "b", MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer())));
        assertNull(SyncAnswers.error(new Outcome.TimedOut("p", 3)));
        assertNull(SyncAnswers.error(new Outcome.Crashed("p", "r1", "Runtime exited with error: exit status 3")));
        assertNull(SyncAnswers.error(new Outcome.ResponseTooLarge("p", 6291456)));
    }

    @Test
    void aTimeoutIsLambdasSandboxTimedout() {
        JsonObject payload = new JsonObject(SyncAnswers.payload(new Outcome.TimedOut("p", 3)));
        assertEquals("Sandbox.Timedout", payload.getString("errorType"));
        assertEquals("Task timed out after 3.00 seconds", payload.getString("errorMessage"));
        JsonObject crash = new JsonObject(SyncAnswers.payload(new Outcome.Crashed("p", "r1", "Runtime exited with error: exit status 3")));
        assertEquals("Runtime.ExitError", crash.getString("errorType"));
        assertEquals("RequestId: r1 Error: Runtime exited with error: exit status 3", crash.getString("errorMessage"));
        assertEquals("Function.ResponseSizeTooLarge",
                new JsonObject(SyncAnswers.payload(new Outcome.ResponseTooLarge("p", 10))).getString("errorType"));
    }

    @Test
    void theSystemsFailuresHaveHonestCodes() {
        assertEquals(429, SyncAnswers.error(new Outcome.Throttled("HoldQueueFull", "m")).status());
        assertEquals("HoldQueueFull", SyncAnswers.error(new Outcome.Throttled("HoldQueueFull", "m")).reason());
        assertEquals(502, SyncAnswers.error(new Outcome.StartFailed("ImagePullBackOff", "m")).status());
        assertEquals(502, SyncAnswers.error(new Outcome.NoInstance("InitTimeout", "m")).status());
        assertEquals(429, SyncAnswers.error(new Outcome.NoInstance("HoldTimeout", "m")).status());
        assertEquals(502, SyncAnswers.error(new Outcome.Unreachable("p", "m")).status());
        ApiError full = SyncAnswers.error(new Outcome.Overloaded("HoldCapacityExceeded", "m"));
        assertEquals(503, full.status());
        assertEquals(1, full.retryAfterSeconds());
    }
}
