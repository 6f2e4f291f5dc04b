package dev.lambkin.gateway.trigger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.lambkin.api.v1alpha1.Trigger;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vertx.core.json.JsonObject;

/**
 * Writes the gateway's part of Triggers' status (a merge patch of the fields it owns: source, lastFired, nextFire)
 * when it differs from what this writer last wrote: compared with its own writes, not with a cache that may lag.
 * A failed write is not remembered, so the next attempt tries again. Blocking: call it off the event loop.
 */
final class StatusWrites {
    private static final Logger LOG = Logger.getLogger(StatusWrites.class);
    private final KubernetesClient client;
    private final Map<String, String> written = new ConcurrentHashMap<>();

    StatusWrites(KubernetesClient client) {
        this.client = client;
    }

    /** Returns whether the status was patched now (false: unchanged, or the write failed). */
    boolean write(Trigger t, JsonObject status) {
        String patch = new JsonObject().put("status", status).encode();
        String uid = t.getMetadata().getUid();
        if (patch.equals(written.get(uid))) {
            return false;
        }
        try {
            client.resources(Trigger.class).inNamespace(t.getMetadata().getNamespace()).withName(t.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            written.put(uid, patch);
            return true;
        } catch (RuntimeException ex) {
            LOG.warnf("status of %s/%s not written (tried again): %s", t.getMetadata().getNamespace(), t.getMetadata().getName(),
                    ex.getMessage());
            return false;
        }
    }

    void forget(String uid) {
        written.remove(uid);
    }

    /** Forgets every write, e.g. when another replica took over writing. */
    void clear() {
        written.clear();
    }

    /** The gateway's report on a source, as the operator reads it for Ready. */
    static JsonObject source(boolean armed, String reason, String message, long generation) {
        return new JsonObject().put("armed", armed).put("reason", reason).put("message", message)
                .put("observedGeneration", generation);
    }
}
