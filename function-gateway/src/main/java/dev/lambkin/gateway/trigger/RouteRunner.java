package dev.lambkin.gateway.trigger;

import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.lambkin.api.v1alpha1.HttpSource;
import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.peers.GatewayPeers;
import dev.lambkin.gateway.peers.RouteReports;
import dev.lambkin.gateway.record.GatewayEvents;
import dev.lambkin.gateway.route.Upserts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the HTTP route table of every http Trigger on this replica, and reports routes in their Triggers' status:
 * the leader writes a route armed once every ready replica routes by the same table (RouteReports), or why not
 * (RouteConflict, InvalidRoute); every replica writes {@code lastFired} for the routes it served ({@link LastFired}).
 */
@ApplicationScoped
public class RouteRunner {
    private static final Logger LOG = Logger.getLogger(RouteRunner.class);

    private final Triggers triggers;
    private final GatewayPeers peers;
    private final RouteReports reports;
    private final GatewayEvents events;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final StatusWrites sourceWrites;
    private final LastFired lastFired;
    private volatile RouteTable table = RouteTable.EMPTY;
    private BlockingTicks ticks;

    public RouteRunner(Triggers triggers, GatewayPeers peers, RouteReports reports, GatewayEvents events, GatewayConfig config,
            Vertx vertx, KubernetesClient client) {
        this.triggers = triggers;
        this.peers = peers;
        this.reports = reports;
        this.events = events;
        this.config = config;
        this.vertx = vertx;
        this.sourceWrites = new StatusWrites(client);
        this.lastFired = new LastFired(client);
    }

    void start(@Observes StartupEvent e) {
        triggers.onChange(Upserts.of(t -> rebuild(), t -> {
            rebuild();
            sourceWrites.forget(t.getMetadata().getUid());
            lastFired.forget(t.getMetadata().getUid());
        }));
        reports.start(() -> table.digest());
        ticks = new BlockingTicks(vertx, config.triggers().tick(), "route status", this::report);
    }

    void stop(@Observes ShutdownEvent e) {
        if (ticks != null) {
            ticks.stop();
        }
    }

    /** The routes as this replica serves them now. */
    public RouteTable table() {
        return table;
    }

    /** A route served a request (lastFired). */
    public void fired(RouteTable.Route route) {
        lastFired.fired(route.uid());
    }

    private synchronized void rebuild() {
        table = RouteTable.of(triggers.list());
    }

    private void report() {
        RouteTable current = table;
        boolean leader = peers.leader();
        if (!leader) {
            sourceWrites.clear(); // a new leader starts from the Triggers' status
        }
        boolean agreed = peers.view().count() < 2 || reports.agreed(current.digest());
        for (Trigger t : triggers.list()) {
            if (t.getSpec() == null || t.getSpec().http == null || t.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if (leader) {
                reportSource(t, current.claim(t.getMetadata().getUid()), agreed);
            }
            lastFired.write(t);
        }
    }

    private void reportSource(Trigger t, RouteTable.Claim claim, boolean agreed) {
        long generation = t.getMetadata().getGeneration() == null ? 0 : t.getMetadata().getGeneration();
        JsonObject source = switch (claim) {
            case null -> null; // not in this replica's table yet
            case RouteTable.Installed i when agreed -> StatusWrites.source(true, "Routed", describe(i.route()), generation);
            case RouteTable.Installed i -> null; // waiting until every replica routes it
            case RouteTable.Conflicting c -> StatusWrites.source(false, "RouteConflict", "path " + c.path() + " ("
                    + c.methods().stream().map(Enum::name).collect(Collectors.joining(",")) + ") is routed to the older Trigger "
                    + c.winner(), generation);
            case RouteTable.Invalid i -> StatusWrites.source(false, "InvalidRoute", i.message(), generation);
        };
        if (source != null && sourceWrites.write(t, new JsonObject().put("source", source)) && !source.getBoolean("armed")) {
            events.record(t, "Warning", source.getString("reason"), "Route", source.getString("message"));
        }
    }

    static String describe(RouteTable.Route r) {
        String methods = r.methods().size() == HttpSource.Method.values().length ? "every method"
                : r.methods().stream().map(Enum::name).collect(Collectors.joining(","));
        return "routes " + methods + " on " + r.host() + r.path() + " and below" + (r.async() ? ", queued as events" : "")
                + (r.auth() == HttpSource.Auth.KUBERNETES ? ", for callers allowed to invoke" : "");
    }
}
