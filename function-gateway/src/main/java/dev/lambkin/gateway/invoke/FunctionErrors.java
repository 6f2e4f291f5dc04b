package dev.lambkin.gateway.invoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.proxy.FunctionProxy;
import jakarta.inject.Singleton;

/**
 * Reads a pod's answer as the runtime contract defines it: success, or a function error (Lambkin-Function-Error,
 * or any non-2xx status) with the function's own {"errorType","errorMessage"} when it sent them.
 */
@Singleton
public class FunctionErrors {
    /** How much of a non-contract error body becomes the error message. */
    static final int MESSAGE_CHARS = 512;
    private final ObjectMapper json;

    public FunctionErrors(ObjectMapper json) {
        this.json = json;
    }

    public Outcome of(String pod, FunctionProxy.Responded r) {
        String kind = r.headers().get(Contract.FUNCTION_ERROR);
        if (kind == null && r.status() / 100 == 2) {
            return new Outcome.Answered(pod, r.headers(), r.body());
        }
        if (!Contract.HANDLED.equals(kind)) {
            kind = Contract.UNHANDLED; // a non-2xx answer, or an unknown kind, is an unhandled error
        }
        JsonNode body = parse(r);
        String type = body != null && body.hasNonNull("errorType") ? body.get("errorType").asText() : kind;
        if (r.status() == 503 && Contract.UNAVAILABLE.equals(type) && r.headers().get(Contract.FUNCTION_ERROR) == null) {
            // the runtime refused a call it never started (draining, or ending after a timeout): not the function's error
            return new Outcome.Unreachable(pod, "pod " + pod + " is shutting down and took no call");
        }
        String message;
        if (body != null && body.hasNonNull("errorMessage")) {
            message = body.get("errorMessage").asText();
        } else {
            String text = r.body() == null ? "" : r.body().toString(StandardCharsets.UTF_8);
            message = "status " + r.status() + (text.isBlank() ? "" : ": " + text.substring(0, Math.min(text.length(), MESSAGE_CHARS)));
        }
        return new Outcome.FunctionError(pod, kind, type, message, r.headers(), r.body());
    }

    private JsonNode parse(FunctionProxy.Responded r) {
        try {
            JsonNode node = r.body() == null || r.body().length() == 0 ? null : json.readTree(r.body().getBytes());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
