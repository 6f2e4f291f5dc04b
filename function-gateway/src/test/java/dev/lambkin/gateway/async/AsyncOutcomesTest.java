package dev.lambkin.gateway.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.invoke.Outcome;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** Lambda's rules for an event: every function error uses a retry (a crash too); throttles and system errors do not. */
class AsyncOutcomesTest {
    @Test
    void successIsNotAFailure() {
        assertNull(AsyncOutcomes.failed(new Outcome.Answered("p", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer())));
    }

    @Test
    void aCrashATimeoutAndATooLargeAnswerAreFunctionErrorsWithTheirTypes() {
        var crash = AsyncOutcomes.failed(new Outcome.Crashed("p", "r1", "Runtime exited with error: signal: killed"));
        assertEquals(RetryPolicy.Failure.FUNCTION_ERROR, crash.failure());
        assertEquals("Runtime.ExitError", crash.errorType());
        var timeout = AsyncOutcomes.failed(new Outcome.TimedOut("p", 2));
        assertEquals(RetryPolicy.Failure.FUNCTION_ERROR, timeout.failure());
        assertEquals("Task timed out after 2.00 seconds", timeout.errorMessage());
        assertEquals(RetryPolicy.Failure.FUNCTION_ERROR,
                AsyncOutcomes.failed(new Outcome.ResponseTooLarge("p", 1)).failure());
        var own = AsyncOutcomes.failed(new Outcome.FunctionError("p", "Handled", "OrderRejected", "no stock",
                MultiMap.caseInsensitiveMultiMap(), Buffer.buffer()));
        assertEquals("OrderRejected", own.errorType());
        assertEquals("no stock", own.errorMessage());
    }

    @Test
    void throttlesAndTheSystemsFailuresUseNoRetry() {
        assertEquals(RetryPolicy.Failure.THROTTLED, AsyncOutcomes.failed(new Outcome.Throttled("HoldQueueFull", "m")).failure());
        assertEquals(RetryPolicy.Failure.SYSTEM_ERROR, AsyncOutcomes.failed(new Outcome.StartFailed("ImagePullBackOff", "m")).failure());
        assertEquals(RetryPolicy.Failure.SYSTEM_ERROR, AsyncOutcomes.failed(new Outcome.NoInstance("InitTimeout", "m")).failure());
        assertEquals(RetryPolicy.Failure.SYSTEM_ERROR, AsyncOutcomes.failed(new Outcome.Unreachable("p", "m")).failure());
        assertEquals("HoldCapacityExceeded",
                AsyncOutcomes.failed(new Outcome.Overloaded("HoldCapacityExceeded", "m")).errorType());
    }
}
