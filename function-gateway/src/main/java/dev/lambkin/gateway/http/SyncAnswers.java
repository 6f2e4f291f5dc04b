package dev.lambkin.gateway.http;

import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.invoke.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Lambkin's synchronous API answer for every outcome, in one place. Function errors are 200 with
 * Lambkin-Function-Error and Lambda's error payload, whatever their cause (the function's own error, a timeout,
 * a crash, a response too large), as Lambda's Invoke answers them; the system's failures are error JSON with an
 * honest status.
 */
public final class SyncAnswers {
    static final String EXECUTED_INSTANCE = "Lambkin-Executed-Instance";

    private SyncAnswers() {
    }

    /** The error to answer, or null when the outcome is answered with the function's result or error payload. */
    public static ApiError error(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Answered a -> null;
            case Outcome.FunctionFailure f -> null;
            case Outcome.Throttled t -> ApiError.throttled(t.reason(), t.message());
            case Outcome.StartFailed s -> ApiError.startFailed(s.reason(), s.message());
            case Outcome.NoInstance n when "HoldTimeout".equals(n.reason()) -> ApiError.throttled(n.reason(), n.message());
            case Outcome.NoInstance n -> ApiError.startFailed(n.reason(), n.message());
            case Outcome.Unreachable u -> ApiError.unreachable(u.message());
            case Outcome.Overloaded o -> ApiError.unavailable(o.reason(), o.message());
        };
    }

    static void answer(HttpServerResponse response, String requestId, Outcome outcome) {
        ApiError error = error(outcome);
        if (error != null) {
            ApiErrors.answer(response, error, requestId);
            return;
        }
        response.putHeader(Contract.REQUEST_ID, requestId);
        switch (outcome) {
            case Outcome.Answered a -> {
                response.putHeader(EXECUTED_INSTANCE, a.pod());
                passOn(response, a.headers().get(Contract.LOG_RESULT), a.headers().get("Content-Type"));
                response.setStatusCode(200).end(a.body());
            }
            case Outcome.FunctionError e when e.headers().get(Contract.FUNCTION_ERROR) != null -> {
                // the function reported its error as the contract says: its payload goes to the caller as it is
                response.putHeader(EXECUTED_INSTANCE, e.pod()).putHeader(Contract.FUNCTION_ERROR, e.kind());
                passOn(response, e.headers().get(Contract.LOG_RESULT), e.headers().get("Content-Type"));
                response.setStatusCode(200).end(e.body());
            }
            case Outcome.FunctionFailure f -> {
                response.putHeader(EXECUTED_INSTANCE, f.pod()).putHeader(Contract.FUNCTION_ERROR, f.kind())
                        .putHeader("Content-Type", "application/json");
                response.setStatusCode(200).end(payload(f));
            }
            default -> throw new IllegalStateException("not an answer: " + outcome);
        }
    }

    /** Lambda's error payload for a failure the gateway saw rather than the function reported. */
    public static Buffer payload(Outcome.FunctionFailure f) {
        return new JsonObject().put("errorType", f.errorType()).put("errorMessage", f.errorMessage()).toBuffer();
    }

    private static void passOn(HttpServerResponse response, String logResult, String contentType) {
        if (logResult != null) {
            response.putHeader(Contract.LOG_RESULT, logResult);
        }
        response.putHeader("Content-Type", contentType != null ? contentType : "application/json");
    }
}
