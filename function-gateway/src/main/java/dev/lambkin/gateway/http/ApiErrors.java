package dev.lambkin.gateway.http;

import dev.lambkin.contract.Contract;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes an {@link ApiError} as the gateway's error JSON {"type","message","reason"}. */
public final class ApiErrors {
    private ApiErrors() {
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
        if (e.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", e.retryAfterSeconds().toString());
        }
        response.end(body.encode());
    }
}
