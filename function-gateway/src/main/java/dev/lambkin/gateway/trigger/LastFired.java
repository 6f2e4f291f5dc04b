package dev.lambkin.gateway.trigger;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.lambkin.api.v1alpha1.Trigger;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;

/**
 * When each Trigger of a request-driven source (routes, NATS subjects) last invoked its function through this
 * replica, written to {@code status.lastFired} at most every {@link #EVERY_MILLIS}: a status write per request
 * would load the API server. Every replica writes its own; the merge patch keeps the latest write.
 */
final class LastFired {
    static final long EVERY_MILLIS = 10_000;

    private record Fired(Instant last, long writtenMillis, Instant written) {
    }

    private final StatusWrites writes;
    private final Map<String, Fired> fired = new ConcurrentHashMap<>();

    LastFired(KubernetesClient client) {
        this.writes = new StatusWrites(client);
    }

    void fired(String uid) {
        Instant now = Instant.now();
        fired.compute(uid, (k, f) -> f == null ? new Fired(now, 0, null) : new Fired(now, f.writtenMillis(), f.written()));
    }

    /** Writes the Trigger's lastFired if it fired since the last write and that write is old enough. Blocking. */
    void write(Trigger t) {
        String uid = t.getMetadata().getUid();
        Fired f = fired.get(uid);
        long now = System.currentTimeMillis();
        if (f == null || f.last().equals(f.written()) || now - f.writtenMillis() < EVERY_MILLIS) {
            return;
        }
        if (writes.write(t, new JsonObject().put("lastFired", f.last().toString()))) {
            fired.computeIfPresent(uid, (k, v) -> new Fired(v.last(), now, f.last()));
        }
    }

    void forget(String uid) {
        fired.remove(uid);
        writes.forget(uid);
    }
}
