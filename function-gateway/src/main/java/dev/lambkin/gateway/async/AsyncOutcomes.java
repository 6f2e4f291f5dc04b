package dev.lambkin.gateway.async;

import dev.lambkin.gateway.invoke.Outcome;

/**
 * What an invocation's outcome means for an asynchronous event, in one place: success is acknowledged; a
 * function error of any cause (its own error, a timeout, a crash, a response too large) uses up a retry, as
 * Lambda counts it; throttles and the system's failures are tried again until the event's age runs out.
 */
public final class AsyncOutcomes {
    /** A failed attempt: how it counts, and the error the dead letter will carry. */
    public record Failed(RetryPolicy.Failure failure, String errorType, String errorMessage) {
    }

    private AsyncOutcomes() {
    }

    /** Null for success. */
    public static Failed failed(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Answered a -> null;
            case Outcome.FunctionFailure f -> new Failed(RetryPolicy.Failure.FUNCTION_ERROR, f.errorType(), f.errorMessage());
            case Outcome.Throttled t -> new Failed(RetryPolicy.Failure.THROTTLED, "TooManyRequestsException", t.message());
            case Outcome.SystemFailure s -> new Failed(RetryPolicy.Failure.SYSTEM_ERROR, s.reason(), s.message());
        };
    }
}
