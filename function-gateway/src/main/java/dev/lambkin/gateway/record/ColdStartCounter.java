package dev.lambkin.gateway.record;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.gateway.route.FunctionKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Counts cold starts into each Function's status.coldStarts: counted here, added to the status every few seconds
 * with an optimistic-locked patch (resourceVersion), so several gateway replicas add up without losing counts.
 * The operator compares the field but never writes it.
 */
@Singleton
public class ColdStartCounter {
    private static final Logger LOG = Logger.getLogger(ColdStartCounter.class);
    static final long FLUSH_MILLIS = 5000;
    private final KubernetesClient client;
    private final Vertx vertx;
    private final Map<FunctionKey, AtomicLong> pending = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "cold-start-counter"));
    private long timer = -1;

    public ColdStartCounter(KubernetesClient client, Vertx vertx) {
        this.client = client;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent e) {
        timer = vertx.setPeriodic(FLUSH_MILLIS, t -> writer.execute(this::flush));
    }

    void stop(@Observes ShutdownEvent e) {
        vertx.cancelTimer(timer);
        writer.execute(this::flush);
        writer.shutdown();
    }

    public void count(FunctionKey key) {
        pending.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    private void flush() {
        pending.forEach((key, n) -> {
            long delta = n.getAndSet(0);
            if (delta == 0) {
                return;
            }
            try {
                var resource = client.resources(Function.class).inNamespace(key.namespace()).withName(key.name());
                Function fn = resource.get();
                if (fn == null) {
                    return; // deleted: nothing to count on
                }
                long before = fn.getStatus() != null && fn.getStatus().coldStarts != null ? fn.getStatus().coldStarts : 0;
                // the resourceVersion makes it a compare-and-set: a concurrent change (another replica's count)
                // answers 409 and this delta is added next time
                JsonObject patch = new JsonObject()
                        .put("metadata", new JsonObject().put("resourceVersion", fn.getMetadata().getResourceVersion()))
                        .put("status", new JsonObject().put("coldStarts", before + delta));
                resource.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch.encode());
            } catch (KubernetesClientException ex) {
                n.addAndGet(delta);
                if (ex.getCode() != 409) {
                    LOG.warnf("%s: cold starts not counted yet: %s", key, ex.getMessage());
                }
            }
        });
    }
}
