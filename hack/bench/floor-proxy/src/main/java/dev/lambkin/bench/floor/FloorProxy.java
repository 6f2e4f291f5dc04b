package dev.lambkin.bench.floor;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The least a JVM hop can cost: every request on :8080 is sent as POST / to TARGET (host:port) over a keep-alive
 * pool and its answer sent back; nothing else (no routing, auth, limits, records). One verticle per event loop,
 * each with its own server and client, so a call and its upstream connection share a thread. Benchmark only.
 */
public final class FloorProxy extends AbstractVerticle {
    private final String host;
    private final int port;

    private FloorProxy(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public static void main(String[] args) {
        String target = System.getenv("TARGET");
        if (target == null || !target.contains(":")) {
            throw new IllegalArgumentException("TARGET must be host:port, not " + target);
        }
        String host = target.substring(0, target.lastIndexOf(':'));
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        int loops = Integer.parseInt(System.getenv().getOrDefault("EVENT_LOOPS",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new FloorProxy(host, port), new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("floor proxy :8080 -> " + target + " on " + loops + " event loops"))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public void start() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(1000)
                .setTcpNoDelay(true));
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)).requestHandler(in -> in.body().onSuccess(body ->
                client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI("/")
                        .putHeader("Content-Type", "application/json"))
                        .compose(out -> out.send(body))
                        .compose(answer -> answer.body().onSuccess(b -> in.response().setStatusCode(answer.statusCode())
                                .putHeader("Content-Type", answer.getHeader("Content-Type") == null ? "application/json"
                                        : answer.getHeader("Content-Type"))
                                .end(b)))
                        .onFailure(e -> in.response().setStatusCode(502).end()))).listen(8080);
    }
}
