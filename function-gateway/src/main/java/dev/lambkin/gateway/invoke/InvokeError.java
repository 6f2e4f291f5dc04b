package dev.lambkin.gateway.invoke;

/**
 * A failed invocation as the caller sees it: HTTP status and the JSON body {"type","message","reason"}.
 * Every error the gateway answers goes through this type, so the mapping lives in one place.
 */
public final class InvokeError extends RuntimeException {
    private final int status;
    private final String type;
    private final String reason;
    private final Integer retryAfterSeconds;

    private InvokeError(int status, String type, String reason, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static InvokeError badRequest(String message) {
        return new InvokeError(400, "InvalidRequestContentException", null, message, null);
    }

    public static InvokeError notFound(String message) {
        return new InvokeError(404, "ResourceNotFoundException", null, message, null);
    }

    public static InvokeError tooLarge(String message) {
        return new InvokeError(413, "RequestTooLargeException", null, message, null);
    }

    public static InvokeError unsupportedMediaType(String message) {
        return new InvokeError(415, "UnsupportedMediaTypeException", null, message, null);
    }

    public static InvokeError throttled(String reason, String message) {
        return new InvokeError(429, "TooManyRequestsException", reason, message, 1);
    }

    public static InvokeError startFailed(String reason, String message) {
        return new InvokeError(502, "FunctionStartFailedException", reason, message, null);
    }

    public static InvokeError unreachable(String message) {
        return new InvokeError(502, "FunctionUnreachableException", null, message, null);
    }

    /** 503 with a reason, e.g. AsyncUnavailable: the event store cannot be reached. */
    public static InvokeError unavailable(String reason, String message) {
        return new InvokeError(503, "ServiceUnavailableException", reason, message, 1);
    }

    public static InvokeError draining() {
        return new InvokeError(503, "ServiceUnavailableException", "Draining", "the gateway is shutting down", 1);
    }

    public static InvokeError timedOut(String message) {
        return new InvokeError(504, "FunctionTimeoutException", "Timeout", message, null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String reason() {
        return reason;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
