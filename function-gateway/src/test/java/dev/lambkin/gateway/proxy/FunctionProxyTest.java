package dev.lambkin.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.route.Instance;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

/** The proxy against a real HTTP server on loopback that answers, dawdles, dies mid-call or answers too much. */
class FunctionProxyTest {
    Vertx vertx;
    HttpServer server;
    FunctionProxy proxy;
    int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            switch (body.toString()) {
                case "sleep" -> vertx.setTimer(5000, t -> req.response().end("late"));
                case "die" -> req.connection().close(); // the process went away: no answer at all
                case "big" -> {
                    req.response().setChunked(true);
                    for (int i = 0; i < 8; i++) {
                        req.response().write(Buffer.buffer(new byte[1024 * 1024]));
                    }
                    req.response().end();
                }
                case "bigDeclared" -> req.response().putHeader("Content-Length", Integer.toString(7 * 1024 * 1024))
                        .end(Buffer.buffer(new byte[7 * 1024 * 1024]));
                default -> req.response().setStatusCode(200).end("ok");
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
        proxy = new FunctionProxy(vertx);
    }

    @AfterEach
    void stop() {
        vertx.close();
    }

    FunctionProxy.Result call(String body, long budgetMillis, int serverPort) throws Exception {
        Instance target = Instance.routable(new FunctionKey("ns", "fn"), "pod-1", "127.0.0.1", serverPort);
        return proxy.invoke(target, Map.of(), Buffer.buffer(body), System.currentTimeMillis() + budgetMillis, 6 * 1024 * 1024)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerIsPassedOn() throws Exception {
        var r = assertInstanceOf(FunctionProxy.Responded.class, call("hello", 5000, port));
        assertEquals(200, r.status());
        assertEquals("ok", r.body().toString());
    }

    @Test
    void theDeadlineAnswersAtOnce() throws Exception {
        long t0 = System.nanoTime();
        assertInstanceOf(FunctionProxy.DeadlinePassed.class, call("sleep", 300, port));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(true, ms < 3000, "answered at the deadline, not when the server finished: " + ms + " ms");
    }

    @Test
    void aConnectionThatEndsWithoutAnAnswerIsTheProcessGoingAway() throws Exception {
        assertInstanceOf(FunctionProxy.ConnectionLost.class, call("die", 5000, port));
    }

    @Test
    void nobodyListeningIsNotConnected() throws Exception {
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertInstanceOf(FunctionProxy.NotConnected.class, call("hello", 5000, closed));
    }

    @Test
    void anAnswerOverTheLimitIsCutOffChunkedOrDeclared() throws Exception {
        assertEquals(new FunctionProxy.TooLarge(6 * 1024 * 1024), call("big", 5000, port));
        assertEquals(new FunctionProxy.TooLarge(6 * 1024 * 1024), call("bigDeclared", 5000, port));
        // and the proxy still works afterwards
        assertInstanceOf(FunctionProxy.Responded.class, call("hello", 5000, port));
    }
}
