package dev.lambkin.gateway.invoke;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.gateway.route.FunctionKey;
import io.vertx.core.buffer.Buffer;

/**
 * One call of a function, sync or async: what the runtime contract's headers are made of.
 *
 * @param type        RequestResponse or Event
 * @param attempt     1 for a sync call; 1, 2, 3 for an async event's attempts
 * @param traceparent the caller's W3C trace context, or null
 * @param logType     the caller's Lambkin-Log-Type, or null
 * @param clientContext the caller's client context (base64 JSON), or null
 */
public record Invocation(FunctionKey key, Function function, Buffer event, String requestId, String type, int attempt,
        String traceparent, String logType, String clientContext) {
}
