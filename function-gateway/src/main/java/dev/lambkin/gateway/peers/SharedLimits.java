package dev.lambkin.gateway.peers;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.lambkin.api.limits.Reservations;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.limit.Admission;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import dev.lambkin.gateway.limit.LimitShare;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps this replica's limiter at its share of the installation's limits: the pool, the unreserved minimum and
 * every reservation the installation grants (by the rule the operator's status reports), re-split whenever
 * gateway replicas come or go. With one replica the shares are the limits themselves.
 */
@ApplicationScoped
public class SharedLimits {
    private static final Logger LOG = Logger.getLogger(SharedLimits.class);
    private final ConcurrencyLimiter limiter;
    private final Admission admission;
    private final GatewayPeers peers;
    private final GatewayConfig.Concurrency config;
    /** Reservations the installation grants (the whole, not this replica's share), in the order granted. */
    private Map<String, Integer> granted = Map.of();

    public SharedLimits(ConcurrencyLimiter limiter, Admission admission, GatewayPeers peers, GatewayConfig config) {
        this.limiter = limiter;
        this.admission = admission;
        this.peers = peers;
        this.config = config.concurrency();
        peers.onChange(this::resplit);
    }

    /** The Functions changed: grant their reservations again, by creation order, and apply this replica's shares. */
    public synchronized void reservationsOf(Collection<Function> functions) {
        Map<String, Integer> next = new LinkedHashMap<>();
        Reservations.decide(functions, config.total(), config.unreservedMinimum()).forEach((fn, decision) -> {
            if (decision instanceof Reservations.Decision.Granted g) {
                next.put(fn, g.concurrency());
            }
        });
        if (next.equals(granted)) {
            return;
        }
        // shrink first, so the room a reservation gives up is there for the one granted in its place
        granted.forEach((fn, before) -> {
            Integer after = next.get(fn);
            if (after == null || after < before) {
                apply(fn, after, peers.view());
            }
        });
        next.forEach((fn, after) -> {
            if (!after.equals(granted.get(fn))) {
                apply(fn, after, peers.view());
            }
        });
        granted = next;
        admission.limitsChanged();
    }

    private synchronized void resplit() {
        GatewayPeers.View v = peers.view();
        int n = v.count(), i = v.index();
        limiter.resize(LimitShare.of(config.total(), n, i, null), LimitShare.of(config.unreservedMinimum(), n, i, null));
        granted.forEach((fn, reserved) -> apply(fn, reserved, v));
        admission.limitsChanged();
        LOG.infof("limits split %d ways: this replica takes %d of the pool of %d", n, limiter.total(), config.total());
    }

    private void apply(String function, Integer reserved, GatewayPeers.View v) {
        Integer share = reserved == null ? null : LimitShare.of(reserved, v.count(), v.index(), function);
        if (!limiter.reserve(function, share)) {
            // only when this replica's share of the pool is smaller than its shares of the reservations
            LOG.warnf("%s: reserved concurrency %d (%d here) does not fit in this replica's share of the pool", function,
                    reserved, share);
        }
    }
}
