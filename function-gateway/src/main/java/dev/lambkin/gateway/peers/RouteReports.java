package dev.lambkin.gateway.peers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.nats.NatsClient;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gateway replicas tell each other which HTTP routes they have installed (a digest of their route table, over core
 * NATS each tick), so the leader reports a route armed only once every ready replica serves it. Alone, a replica
 * agrees with itself; without NATS, a second replica's routes cannot be confirmed and new routes wait.
 */
@ApplicationScoped
public class RouteReports {
    static final String SUBJECT = "lambkin.gateway.routes";

    private record Report(String digest, long receivedMillis) {
    }

    private final GatewayPeers peers;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final Map<String, Report> reports = new ConcurrentHashMap<>();
    private volatile Supplier<String> local = () -> "";
    private final PeerChannel channel;
    private long timer = -1;

    public RouteReports(NatsClient nats, GatewayPeers peers, Vertx vertx, GatewayConfig config) {
        this.channel = new PeerChannel(nats, peers, SUBJECT, this::receive);
        this.peers = peers;
        this.vertx = vertx;
        this.config = config;
    }

    /** Starts telling the others this replica's digest, as the supplier gives it, and listening to theirs. */
    public synchronized void start(Supplier<String> digest) {
        this.local = digest;
        timer = vertx.setPeriodic(config.triggers().tick().toMillis(), t -> channel.send(new JsonObject().put("digest", local.get())));
        channel.listen();
    }

    private void receive(JsonObject o) {
        reports.put(o.getString("replica"), new Report(o.getString("digest", ""), System.currentTimeMillis()));
    }

    /** Whether every other ready replica said lately that it routes by the table with this digest. */
    public boolean agreed(String digest) {
        long now = System.currentTimeMillis(), maxAge = 3 * config.triggers().tick().toMillis() + 1000;
        var view = peers.view();
        for (int i = 0; i < view.count(); i++) {
            if (i == view.index()) {
                continue;
            }
            Report r = reports.get(view.replicas().get(i));
            if (r == null || now - r.receivedMillis() > maxAge || !r.digest().equals(digest)) {
                return false;
            }
        }
        return true;
    }

    void stop(@Observes ShutdownEvent e) {
        vertx.cancelTimer(timer);
    }
}
