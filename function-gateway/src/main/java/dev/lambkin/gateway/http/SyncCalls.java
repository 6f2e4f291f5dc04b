package dev.lambkin.gateway.http;

import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.invoke.Invocation;
import dev.lambkin.gateway.invoke.Invoker;
import dev.lambkin.gateway.invoke.Outcome;
import dev.lambkin.gateway.limit.Admission;
import dev.lambkin.gateway.limit.Lease;
import dev.lambkin.gateway.record.InvocationMetrics;
import dev.lambkin.gateway.route.FunctionKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * An edge's synchronous call: admission under the function's limits (429 when refused), the invocation, and the
 * edge's own answer of the outcome; a defect of the gateway is a 500 with the request id.
 */
@Singleton
public class SyncCalls {
    private static final Logger LOG = Logger.getLogger(SyncCalls.class);
    private final Admission admission;
    private final Invoker invoker;
    private final InvocationMetrics metrics;

    public SyncCalls(Admission admission, Invoker invoker, InvocationMetrics metrics) {
        this.admission = admission;
        this.invoker = invoker;
        this.metrics = metrics;
    }

    /** answer: the outcome of a call that ran; refused: the gateway's refusal (throttled, or its own defect). */
    public void call(RoutingContext ctx, Function fn, FunctionKey key, Buffer event, String requestId, String logType,
            String clientContext, Consumer<Outcome> answer, Consumer<ApiError> refused) {
        switch (admission.tryAcquire(key.toString())) {
            case Admission.Refused throttle -> {
                String reason = throttle.reason().name();
                metrics.throttled(key, reason);
                refused.accept(ApiError.throttled(reason, "Rate Exceeded: " + key + " is at its concurrency limit (" + reason + ")"));
            }
            case Lease lease -> invoker.invoke(new Invocation(key, fn, event, requestId, "RequestResponse", 1,
                    ctx.request().getHeader(Contract.TRACEPARENT), logType, clientContext), lease).onComplete(done -> {
                        if (done.failed()) {
                            LOG.errorf(done.cause(), "invocation %s of %s (%s %s) failed in the gateway", requestId, key,
                                    ctx.request().method(), ctx.request().path());
                            refused.accept(ApiError.internal(requestId));
                        } else {
                            answer.accept(done.result());
                        }
                    });
        }
    }
}
