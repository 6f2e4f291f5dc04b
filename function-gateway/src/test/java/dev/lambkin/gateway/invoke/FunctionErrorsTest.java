package dev.lambkin.gateway.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lambkin.gateway.proxy.FunctionProxy;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** How a pod's answer reads under the runtime contract. */
class FunctionErrorsTest {
    final FunctionErrors errors = new FunctionErrors(new ObjectMapper());

    static FunctionProxy.Responded answer(int status, String body, String... headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return new FunctionProxy.Responded(status, h, Buffer.buffer(body));
    }

    @Test
    void successIsA2xxWithoutTheErrorHeader() {
        assertInstanceOf(Outcome.Answered.class, errors.of("p", answer(200, "{}")));
    }

    @Test
    void theFunctionsOwnErrorKeepsItsTypeAndMessage() {
        var e = assertInstanceOf(Outcome.FunctionError.class, errors.of("p", answer(200,
                "{\"errorType\":\"OrderRejected\",\"errorMessage\":\"no stock\"}", "Lambkin-Function-Error", "Handled")));
        assertEquals("Handled", e.kind());
        assertEquals("OrderRejected", e.errorType());
        assertEquals("no stock", e.errorMessage());
    }

    @Test
    void aNon2xxWithoutTheContractIsAnUnhandledErrorWithTheStatus() {
        var e = assertInstanceOf(Outcome.FunctionError.class, errors.of("p", answer(500, "<html>oops</html>")));
        assertEquals("Unhandled", e.kind());
        assertEquals("status 500: <html>oops</html>", e.errorMessage());
    }

    @Test
    void aRuntimeRefusingACallItNeverStartedIsNotAFunctionError() {
        assertInstanceOf(Outcome.Unreachable.class, errors.of("p", answer(503,
                "{\"errorType\":\"Runtime.Unavailable\",\"errorMessage\":\"the instance is shutting down\"}")));
    }
}
