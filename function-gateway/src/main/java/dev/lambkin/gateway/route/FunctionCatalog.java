package dev.lambkin.gateway.route;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.lambkin.api.limits.Reservations;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.gateway.peers.SharedLimits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Every Function in the cluster, from an informer; keeps the limiter's reservations in step with them. */
@Singleton
public class FunctionCatalog {
    private final KubernetesClient client;
    private final SharedLimits limits;
    private final Map<FunctionKey, Function> functions = new ConcurrentHashMap<>();
    /** Those with a reservation: the only ones the pool's decisions depend on. */
    private final Map<FunctionKey, Function> reserving = new ConcurrentHashMap<>();
    private SharedIndexInformer<Function> informer;

    public FunctionCatalog(KubernetesClient client, SharedLimits limits) {
        this.client = client;
        this.limits = limits;
    }

    void start(@Observes StartupEvent e) {
        informer = client.resources(Function.class).inAnyNamespace().inform(Upserts.of(this::put, this::remove), 0);
    }

    void stop(@Observes ShutdownEvent e) {
        if (informer != null) {
            informer.close();
        }
    }

    void remove(Function fn) {
        FunctionKey key = FunctionKey.of(fn);
        functions.remove(key);
        if (reserving.remove(key) != null) {
            limits.reservationsOf(reserving.values());
        }
    }

    /**
     * The reservations are decided again only when a Function that has one (or had one) changes: deciding them over
     * every Function on every event cost the gateway O(N) per event, seconds of CPU while 1,000 Functions were made.
     */
    void put(Function fn) {
        FunctionKey key = FunctionKey.of(fn);
        functions.put(key, fn);
        boolean reserved = Reservations.reserved(fn) != null;
        Function hadOne = reserved ? reserving.put(key, fn) : reserving.remove(key);
        if (reserved || hadOne != null) {
            limits.reservationsOf(reserving.values());
        }
    }

    public Optional<Function> get(FunctionKey key) {
        return Optional.ofNullable(functions.get(key));
    }

    public Collection<Function> all() {
        return functions.values();
    }

    /** True once the informer has listed every Function: before that a miss is not a 404. */
    public boolean synced() {
        return informer != null && informer.hasSynced();
    }
}
