package dev.lambkin.gateway.http;

/**
 * An error as a caller of the gateway's API sees it: HTTP status and the JSON body {"type","message","reason"}.
 * Every error the gateway's edges answer goes through this type.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String reason;
    private final Integer retryAfterSeconds;

    private ApiError(int status, String type, String reason, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "InvalidRequestContentException", null, message, null);
    }

    /** No usable credentials (answered with WWW-Authenticate: Bearer). */
    public static ApiError unauthenticated(String message) {
        return new ApiError(401, "UnauthorizedException", null, message, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "AccessDeniedException", null, message, null);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "ResourceNotFoundException", null, message, null);
    }

    public static ApiError noSuchPath(String message) {
        return new ApiError(404, "NotFoundException", null, message, null);
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "MethodNotAllowedException", null, message, null);
    }

    public static ApiError tooLarge(String message) {
        return new ApiError(413, "RequestTooLargeException", null, message, null);
    }

    public static ApiError throttled(String reason, String message) {
        return new ApiError(429, "TooManyRequestsException", reason, message, 1);
    }

    public static ApiError startFailed(String reason, String message) {
        return new ApiError(502, "FunctionStartFailedException", reason, message, null);
    }

    public static ApiError unreachable(String message) {
        return new ApiError(502, "FunctionUnreachableException", null, message, null);
    }

    /** 503 with a reason, e.g. AsyncUnavailable: the event store cannot be reached. */
    public static ApiError unavailable(String reason, String message) {
        return new ApiError(503, "ServiceUnavailableException", reason, message, 1);
    }

    /** A defect of the gateway: the caller learns the request id to report, never the internal message. */
    public static ApiError internal(String requestId) {
        return new ApiError(500, "ServiceException", null, "the gateway failed to handle the request"
                + (requestId == null ? "" : " (request id " + requestId + ")") + "; the failure is logged", null);
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
