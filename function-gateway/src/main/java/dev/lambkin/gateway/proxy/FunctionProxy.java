package dev.lambkin.gateway.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.lambkin.gateway.route.Instance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The call to the pod: POST / with the event and the runtime contract's headers, over pooled HTTP/1.1
 * keep-alive connections. It tells apart what can happen to a call: an answer, the deadline passing (the call is
 * reset), the connection closing before an answer (the process died), no connection at all, and an answer
 * over the size limit (read only up to the limit, then reset).
 */
@Singleton
public class FunctionProxy {
    /**
     * A pooled connection idle longer than this is closed by the gateway, before servers close theirs (Node's
     * default is 5 s, the JDK's 30 s): a request sent on a connection the server is closing would otherwise
     * look like a process that died mid-call.
     */
    static final int IDLE_SECONDS = 4;
    /** Connections per pod: as many as one instance may take calls at once (perInstance is at most 1000). */
    static final int CONNECTIONS_PER_POD = 1000;

    /** What became of one call. */
    public sealed interface Result {
    }

    /** The function answered (any status). */
    public record Responded(int status, MultiMap headers, Buffer body) implements Result {
    }

    /** The deadline passed first; the call was reset. */
    public record DeadlinePassed() implements Result {
    }

    /** Connected and sent, but the connection ended before a full answer: the process exited or dropped it. */
    public record ConnectionLost(String detail) implements Result {
    }

    /** Could not connect: nothing reached the function. */
    public record NotConnected(String detail) implements Result {
    }

    /** The answer was larger than allowed; the call was reset after limit bytes. */
    public record TooLarge(long limitBytes) implements Result {
    }

    private final Vertx vertx;
    /** For calls made off an event loop (none on the invoke path). */
    private final HttpClient shared;
    /**
     * One client per event loop, so a call and its pooled connection share a thread: Vert.x binds a connection to
     * the loop that opened it, and with one pool for all loops most answers were handed from one loop to another.
     */
    private final Map<Thread, HttpClient> perLoop = new ConcurrentHashMap<>();

    public FunctionProxy(Vertx vertx) {
        this.vertx = vertx;
        this.shared = newClient();
    }

    private HttpClient newClient() {
        return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(CONNECTIONS_PER_POD)
                .setKeepAliveTimeout(IDLE_SECONDS).setConnectTimeout(2000).setTcpNoDelay(true));
    }

    private HttpClient client() {
        return Context.isOnEventLoopThread() ? perLoop.computeIfAbsent(Thread.currentThread(), loop -> newClient()) : shared;
    }

    @PreDestroy
    void close() {
        shared.close();
        perLoop.values().forEach(HttpClient::close);
    }

    /** Never fails: every way a call can end is a {@link Result}. */
    public Future<Result> invoke(Instance instance, Map<String, String> headers, Buffer event, long deadlineMillis,
            long maxResponseBytes) {
        Promise<Result> result = Promise.promise();
        long budget = Math.max(1, deadlineMillis - System.currentTimeMillis());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(instance.ip())
                .setPort(instance.port()).setURI("/");
        headers.forEach(options::putHeader);
        // the deadline counts from now: a slow connect or a wait for a pooled connection is the call's time too
        java.util.concurrent.atomic.AtomicReference<HttpClientRequest> sent = new java.util.concurrent.atomic.AtomicReference<>();
        long timer = vertx.setTimer(budget, t -> {
            // answer first: the reset below fails the send at once, and that must not be the outcome
            result.tryComplete(new DeadlinePassed());
            HttpClientRequest request = sent.get();
            if (request != null) {
                request.reset();
            }
        });
        client().request(options).onComplete(ar -> {
            if (ar.failed()) {
                vertx.cancelTimer(timer);
                result.tryComplete(new NotConnected("cannot reach pod " + instance.pod() + ": " + ar.cause().getMessage()));
                return;
            }
            HttpClientRequest request = ar.result();
            sent.set(request);
            if (result.future().isComplete()) { // the deadline passed while connecting
                request.reset();
                return;
            }
            request.send(event).onComplete(answer -> {
                if (answer.failed()) {
                    vertx.cancelTimer(timer);
                    result.tryComplete(new ConnectionLost(answer.cause().getMessage()));
                    return;
                }
                var response = answer.result();
                String length = response.getHeader("Content-Length");
                if (length != null && parse(length) > maxResponseBytes) {
                    vertx.cancelTimer(timer);
                    result.tryComplete(new TooLarge(maxResponseBytes));
                    response.exceptionHandler(e -> {
                    }); // the reset below is ours: nothing to report
                    request.reset();
                    return;
                }
                Buffer body = Buffer.buffer();
                response.handler(chunk -> {
                    if (body.length() + chunk.length() > maxResponseBytes) {
                        vertx.cancelTimer(timer);
                        result.tryComplete(new TooLarge(maxResponseBytes));
                        request.reset();
                    } else if (!result.future().isComplete()) {
                        body.appendBuffer(chunk);
                    }
                });
                response.exceptionHandler(e -> {
                    vertx.cancelTimer(timer);
                    result.tryComplete(new ConnectionLost(e.getMessage()));
                });
                response.endHandler(v -> {
                    vertx.cancelTimer(timer);
                    result.tryComplete(new Responded(response.statusCode(), response.headers(), body));
                });
            });
        });
        return result.future();
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
