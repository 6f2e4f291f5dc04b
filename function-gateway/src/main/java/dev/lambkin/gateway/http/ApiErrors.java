package dev.lambkin.gateway.http;

import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.auth.Access;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes an {@link ApiError} as the gateway's error JSON {"type","message","reason"}. */
public final class ApiErrors {
    private ApiErrors() {
    }

    /** The answer to a refused access, or null when it is allowed. */
    public static ApiError of(Access access) {
        return switch (access) {
            case Access.Allowed a -> null;
            case Access.Unauthenticated u -> ApiError.unauthenticated(u.message());
            case Access.Forbidden f -> ApiError.forbidden(f.message());
            case Access.Unavailable u -> ApiError.unavailable("AuthUnavailable", u.message());
        };
    }

    public static void answer(HttpServerResponse response, ApiError e, String requestId) {
        if (response.ended()) {
            return;
        }
        JsonObject body = new JsonObject().put("type", e.type()).put("message", e.getMessage());
        if (e.reason() != null) {
            body.put("reason", e.reason());
        }
        response.setStatusCode(e.status()).putHeader("Content-Type", "application/json");
        if (requestId != null) {
            response.putHeader(Contract.REQUEST_ID, requestId);
        }
        if (e.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        if (e.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", e.retryAfterSeconds().toString());
        }
        response.end(body.encode());
    }
}
