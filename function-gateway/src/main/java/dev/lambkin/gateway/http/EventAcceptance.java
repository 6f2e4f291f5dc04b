package dev.lambkin.gateway.http;

import java.time.Instant;

import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.async.AsyncEvent;
import dev.lambkin.gateway.async.AsyncMetrics;
import dev.lambkin.gateway.async.EventQueue;
import dev.lambkin.gateway.route.FunctionKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/** An edge's asynchronous invocation: accepted once JetStream has stored the event (202); 503 when it could not be. */
@Singleton
public class EventAcceptance {
    private final EventQueue events;
    private final AsyncMetrics metrics;

    public EventAcceptance(EventQueue events, AsyncMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /** Completes once JetStream stored the event; fails with the ApiError to answer when it could not. */
    public Future<Void> accept(RoutingContext ctx, FunctionKey key, Buffer event, String requestId) {
        AsyncEvent accepted = AsyncEvent.accepted(requestId, key, event.getBytes(), Instant.now(),
                ctx.request().getHeader(Contract.TRACEPARENT));
        var vertxContext = ctx.vertx().getOrCreateContext();
        Promise<Void> stored = Promise.promise();
        events.publish(accepted).whenComplete((seq, err) -> vertxContext.runOnContext(v -> {
            if (err != null) {
                stored.fail(ApiError.unavailable("AsyncUnavailable", "the event could not be stored: "
                        + (err.getMessage() != null ? err.getMessage() : err.getClass().getSimpleName())));
                return;
            }
            metrics.accepted(key);
            stored.complete();
        }));
        return stored.future();
    }

    /** Lambkin's answer: 202 with the request id, or the error. */
    void acceptAndAnswer(RoutingContext ctx, FunctionKey key, Buffer event, String requestId) {
        accept(ctx, key, event, requestId).onComplete(done -> {
            if (done.failed()) {
                ApiErrors.answer(ctx.response(), (ApiError) done.cause(), requestId);
            } else {
                ctx.response().setStatusCode(202).putHeader(Contract.REQUEST_ID, requestId).end();
            }
        });
    }
}
