package dev.lambkin.gateway.aws;

import dev.lambkin.gateway.http.ApiError;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Errors as Lambda's API answers them, so AWS SDKs raise the right exception: the {@code x-amzn-ErrorType} header,
 * a body {@code {"Type": "User"|"Service", "message", ...the exception's fields}}, {@code x-amzn-RequestId}, and
 * {@code Retry-After} when throttled.
 */
public final class AwsErrors {
    public static final String REQUEST_ID = "x-amzn-RequestId";

    private AwsErrors() {
    }

    public static void answer(HttpServerResponse response, int status, String type, String message, String requestId, JsonObject fields) {
        if (response.ended() || response.headWritten()) {
            return; // answered already (a failure after the answer): nothing more can be said
        }
        JsonObject body = new JsonObject().put("Type", status >= 500 ? "Service" : "User").put("message", message);
        if (fields != null) {
            body.mergeIn(fields);
        }
        if (requestId != null) {
            response.putHeader(REQUEST_ID, requestId);
        }
        response.putHeader("x-amzn-ErrorType", type).putHeader("Content-Type", "application/json").setStatusCode(status)
                .end(body.toBuffer());
    }

    /** One of the gateway's errors in AWS's shape: the same exception names, AWS's status for the auth ones. */
    public static void answer(HttpServerResponse response, ApiError e, String requestId) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        JsonObject fields = new JsonObject();
        if (e.reason() != null) {
            fields.put("Reason", e.reason());
        }
        if (e.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        switch (e.type()) {
            // AWS refuses every authentication failure with 403
            case "UnauthorizedException" -> answer(response, 403, "UnrecognizedClientException", e.getMessage(), requestId, fields);
            case "NotFoundException", "MethodNotAllowedException" -> answer(response, e.status(), "UnknownOperationException",
                    e.getMessage(), requestId, fields);
            default -> answer(response, e.status(), e.type(), e.getMessage(), requestId, fields);
        }
    }
}
