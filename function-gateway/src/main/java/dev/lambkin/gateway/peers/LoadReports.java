package dev.lambkin.gateway.peers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.nats.NatsClient;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gateway replicas tell each other their load over core NATS (fire and forget, every scale interval), so the
 * leader autoscales on the sum. Without NATS, or from a replica that stopped reporting, the leader only scales
 * up; every replica may scale up for requests it holds itself.
 */
@ApplicationScoped
public class LoadReports {
    static final String SUBJECT = "lambkin.gateway.load";
    private static final Logger LOG = Logger.getLogger(LoadReports.class);
    private final GatewayPeers peers;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final LoadBoard board;
    private volatile Supplier<Map<String, LoadBoard.Load>> local = Map::of;
    private final PeerChannel channel;
    private long timer = -1;

    public LoadReports(NatsClient nats, GatewayPeers peers, Vertx vertx, GatewayConfig config) {
        this.peers = peers;
        this.vertx = vertx;
        this.config = config;
        this.board = new LoadBoard(3 * config.scaleInterval().toMillis() + 1000);
        this.channel = new PeerChannel(nats, peers, SUBJECT, this::receive);
    }

    /** Starts reporting this replica's load, as the supplier gives it, and listening to the others. */
    public synchronized void start(Supplier<Map<String, LoadBoard.Load>> load) {
        this.local = load;
        timer = vertx.setPeriodic(config.scaleInterval().toMillis(), t -> publish());
        channel.listen();
    }

    private void publish() {
        JsonObject functions = new JsonObject();
        local.get().forEach((fn, l) -> functions.put(fn, new JsonObject().put("running", l.running()).put("held", l.held())
                .put("lastActivity", l.lastActivityMillis()).put("busy", new io.vertx.core.json.JsonArray(List.copyOf(l.busyPods())))
                .put("marked", new io.vertx.core.json.JsonArray(List.copyOf(l.markedPods())))));
        channel.send(new JsonObject().put("functions", functions));
    }

    private void receive(JsonObject o) {
        try {
            String replica = o.getString("replica");
            Map<String, LoadBoard.Load> functions = new HashMap<>();
            o.getJsonObject("functions", new JsonObject()).forEach(e -> {
                JsonObject l = (JsonObject) e.getValue();
                Set<String> busy = new HashSet<>(), marked = new HashSet<>();
                l.getJsonArray("busy", new io.vertx.core.json.JsonArray()).forEach(p -> busy.add(String.valueOf(p)));
                l.getJsonArray("marked", new io.vertx.core.json.JsonArray()).forEach(p -> marked.add(String.valueOf(p)));
                functions.put(e.getKey(), new LoadBoard.Load(l.getInteger("running", 0), l.getInteger("held", 0),
                        l.getLong("lastActivity", 0L), busy, marked));
            });
            board.report(replica, functions, System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warnf("ignoring a malformed load report: %s", e.getMessage());
        }
    }

    /** The other ready replicas' work on a function. */
    public LoadBoard.Load others(String function) {
        return board.of(function, others(), System.currentTimeMillis());
    }

    /** Whether every other ready replica reports that it has seen the pod marked (and so routes nothing new to it). */
    public boolean seenMarkedByAll(String function, String pod) {
        return board.seenMarkedByAll(function, pod, others(), System.currentTimeMillis());
    }

    /** Pods running a call through any other replica that reported lately, ready or draining. */
    public Set<String> busyElsewhere(String function) {
        return board.busyAnywhere(function, System.currentTimeMillis());
    }

    /** Whether the leader sees every other ready replica's work, and so may scale down. */
    public boolean complete() {
        return board.complete(others(), System.currentTimeMillis());
    }

    private Set<String> others() {
        Set<String> s = new HashSet<>(peers.view().replicas());
        s.remove(self());
        return s;
    }

    private String self() {
        return channel.self();
    }

    void stop(@Observes ShutdownEvent e) {
        vertx.cancelTimer(timer);
    }
}
