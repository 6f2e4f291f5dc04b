package dev.lambkin.gateway.proxy;

import java.util.Map;

import dev.lambkin.gateway.invoke.InvokeError;
import dev.lambkin.gateway.route.Instance;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The call to the pod: POST / with the event and the runtime contract's headers, over pooled HTTP/1.1
 * keep-alive connections, cancelled at the invocation's deadline (the connection is reset, so the slot is
 * free at once and the caller gets 504).
 */
@ApplicationScoped
public class FunctionProxy {
    /** What came back from the function. */
    public record Response(int status, MultiMap headers, Buffer body) {
    }

    private final Vertx vertx;
    private final HttpClient http;

    public FunctionProxy(Vertx vertx) {
        this.vertx = vertx;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout(2000).setTcpNoDelay(true));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    public Future<Response> invoke(Instance instance, Map<String, String> headers, Buffer event, long deadlineMillis) {
        Promise<Response> result = Promise.promise();
        long budget = Math.max(1, deadlineMillis - System.currentTimeMillis());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(instance.ip())
                .setPort(instance.port()).setURI("/");
        headers.forEach(options::putHeader);
        http.request(options).onComplete(ar -> {
            if (ar.failed()) {
                result.tryFail(InvokeError.unreachable("cannot reach pod " + instance.pod() + ": " + ar.cause().getMessage()));
                return;
            }
            var request = ar.result();
            long timer = vertx.setTimer(budget, t -> {
                // answer first: the reset below fails the send at once, and that must not be the caller's error
                result.tryFail(InvokeError.timedOut("the function ran past its timeout; the call was cancelled"));
                request.reset();
            });
            request.send(event).compose(resp -> resp.body().map(body -> new Response(resp.statusCode(), resp.headers(), body)))
                    .onComplete(r -> {
                        vertx.cancelTimer(timer);
                        if (r.succeeded()) {
                            result.tryComplete(r.result());
                        } else {
                            result.tryFail(InvokeError.unreachable("the call to pod " + instance.pod() + " failed: "
                                    + r.cause().getMessage()));
                        }
                    });
        });
        return result.future();
    }
}
