package dev.lambkin.gateway.peers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.limit.Admission;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import dev.lambkin.gateway.limit.LimitShare;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps this replica's limiter at its share of the installation's limits: the pool, the unreserved minimum and
 * every function's reservation, re-split whenever gateway replicas come or go. With one replica the shares are
 * the limits themselves.
 */
@ApplicationScoped
public class SharedLimits {
    private static final Logger LOG = Logger.getLogger(SharedLimits.class);
    private final ConcurrencyLimiter limiter;
    private final Admission admission;
    private final GatewayPeers peers;
    private final GatewayConfig.Concurrency config;
    /** Reservations as the Functions declare them (the whole, not this replica's share). */
    private final Map<String, Integer> declared = new ConcurrentHashMap<>();

    public SharedLimits(ConcurrencyLimiter limiter, Admission admission, GatewayPeers peers, GatewayConfig config) {
        this.limiter = limiter;
        this.admission = admission;
        this.peers = peers;
        this.config = config.concurrency();
        peers.onChange(this::resplit);
    }

    /** A Function's reservation (null: none), as declared; this replica applies its share. */
    public synchronized void reserve(String function, Integer reserved) {
        if (reserved == null) {
            declared.remove(function);
        } else {
            declared.put(function, reserved);
        }
        apply(function, reserved, peers.view());
        admission.limitsChanged();
    }

    private synchronized void resplit() {
        GatewayPeers.View v = peers.view();
        int n = v.count(), i = v.index();
        limiter.resize(LimitShare.of(config.total(), n, i, null), LimitShare.of(config.unreservedMinimum(), n, i, null));
        declared.forEach((fn, reserved) -> apply(fn, reserved, v));
        admission.limitsChanged();
        LOG.infof("limits split %d ways: this replica takes %d of the pool of %d", n, limiter.total(), config.total());
    }

    private void apply(String function, Integer reserved, GatewayPeers.View v) {
        Integer share = reserved == null ? null : LimitShare.of(reserved, v.count(), v.index(), function);
        if (!limiter.reserve(function, share)) {
            LOG.warnf("%s: reserved concurrency %d (%d here) does not fit in the pool; it keeps its previous reservation",
                    function, reserved, share);
        }
    }
}
