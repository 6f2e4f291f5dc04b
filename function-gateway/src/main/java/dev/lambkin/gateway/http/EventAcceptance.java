package dev.lambkin.gateway.http;

import java.time.Instant;

import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.async.AsyncEvent;
import dev.lambkin.gateway.async.AsyncMetrics;
import dev.lambkin.gateway.async.EventQueue;
import dev.lambkin.gateway.route.FunctionKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** An edge's asynchronous invocation: 202 with the request id once JetStream has stored the event; 503 when not. */
@ApplicationScoped
public class EventAcceptance {
    private final EventQueue events;
    private final AsyncMetrics metrics;

    public EventAcceptance(EventQueue events, AsyncMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    void accept(RoutingContext ctx, FunctionKey key, Buffer event, String requestId) {
        AsyncEvent accepted = AsyncEvent.accepted(requestId, key, event.getBytes(), Instant.now(),
                ctx.request().getHeader(Contract.TRACEPARENT));
        var vertxContext = ctx.vertx().getOrCreateContext();
        events.publish(accepted).whenComplete((seq, err) -> vertxContext.runOnContext(v -> {
            if (err != null) {
                ApiErrors.answer(ctx.response(), ApiError.unavailable("AsyncUnavailable", "the event could not be stored: "
                        + (err.getMessage() != null ? err.getMessage() : err.getClass().getSimpleName())), requestId);
                return;
            }
            metrics.accepted(key);
            ctx.response().setStatusCode(202).putHeader(Contract.REQUEST_ID, requestId).end();
        }));
    }
}
