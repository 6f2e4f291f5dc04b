package dev.lambkin.gateway.scale;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.FunctionSpec;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.activate.Activator;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import dev.lambkin.gateway.peers.GatewayPeers;
import dev.lambkin.gateway.peers.LoadBoard;
import dev.lambkin.gateway.peers.LoadReports;
import dev.lambkin.gateway.record.GatewayEvents;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.route.Instances;
import dev.lambkin.gateway.route.PodMarks;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Runs the {@link Autoscaler} for every function, every {@code scale-interval} and at once when a request is
 * held, and writes its decision through the Deployment's scale subresource (the gateway owns replicas).
 */
@Singleton
public class ScaleController {
    private static final Logger LOG = Logger.getLogger(ScaleController.class);

    private final KubernetesClient client;
    private final FunctionCatalog catalog;
    private final ConcurrencyLimiter limiter;
    private final Activator activator;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final GatewayPeers peers;
    private final LoadReports reports;
    private final Instances instances;
    private final GatewayEvents events;
    private final Map<FunctionKey, Long> lastActivity = new ConcurrentHashMap<>();
    private final Set<FunctionKey> writing = ConcurrentHashMap.newKeySet();
    /** When this replica first saw each marked pod (namespace/function/pod). */
    private final Map<String, Long> markSeen = new ConcurrentHashMap<>();
    /**
     * How many scale intervals a retired pod's mark is seen before the leader deletes it: longer than a load report
     * counts (3 intervals and a second), so a report that did not yet list a call on the pod has expired by then.
     */
    static final int RETIRED_SETTLE_INTERVALS = 5;
    /** When this replica first saw each retired pod (namespace/function/pod). */
    private final Map<String, Long> retiredSeen = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor();
    private final long startedAt = System.currentTimeMillis();
    private SharedIndexInformer<Deployment> deployments;
    private long timer = -1;

    public ScaleController(KubernetesClient client, FunctionCatalog catalog, ConcurrencyLimiter limiter,
            Activator activator, Vertx vertx, GatewayConfig config, GatewayPeers peers, LoadReports reports, Instances instances, GatewayEvents events) {
        this.instances = instances;
        this.events = events;
        this.peers = peers;
        this.reports = reports;
        this.client = client;
        this.catalog = catalog;
        this.limiter = limiter;
        this.activator = activator;
        this.vertx = vertx;
        this.config = config;
    }

    void start(@Observes StartupEvent e) {
        deployments = client.apps().deployments().inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "lambkin-operator").inform();
        reports.start(this::localLoad);
        timer = vertx.setPeriodic(config.scaleInterval().toMillis(), t -> catalog.all().forEach(fn -> evaluate(FunctionKey.of(fn))));
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (deployments != null) {
            deployments.close();
        }
        writer.shutdownNow();
    }

    /** Marks work on the function now: idle time counts from here. */
    public void touch(FunctionKey key) {
        lastActivity.put(key, System.currentTimeMillis());
    }

    /** Current replicas of the function's Deployment, or -1 when it has none (yet). */
    public int replicas(FunctionKey key) {
        Deployment d = deployments == null ? null : deployments.getStore().getByKey(key.namespace() + "/" + key.name());
        return d == null || d.getSpec() == null ? -1 : d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    /** This replica's work per function, for the other replicas (the leader sums them). */
    private Map<String, LoadBoard.Load> localLoad() {
        Map<String, LoadBoard.Load> load = new java.util.HashMap<>();
        long recent = System.currentTimeMillis() - 3_600_000;
        for (Function fn : catalog.all()) {
            FunctionKey key = FunctionKey.of(fn);
            long last = lastActivity.getOrDefault(key, 0L);
            int held = activator.held(key);
            int running = Math.max(0, limiter.inFlight(key.toString()) - held);
            Set<String> marked = instances.markedPods(key);
            if (last >= recent || running + held > 0 || !marked.isEmpty()) {
                load.put(key.toString(), new LoadBoard.Load(running, held, last, instances.busyPods(key), marked));
            }
        }
        return load;
    }

    /** A request is held: decide at once rather than at the next tick. */
    void onHeld(@Observes Activator.Held held) {
        evaluate(held.key());
    }

    /**
     * The leader decides on all replicas' work; any replica may scale up for requests it holds (a cold start never
     * waits for the leader); only the leader marks and unmarks pods and scales down, only while it hears from every
     * replica, and only by pods that every replica has seen marked and none is running a call on.
     */
    void evaluate(FunctionKey key) {
        Function fn = catalog.get(key).orElse(null);
        int current = replicas(key);
        if (fn == null || current < 0 || writing.contains(key)) {
            return;
        }
        FunctionSpec s = fn.getSpec();
        int perInstance = FunctionDefaults.perInstance(s), min = FunctionDefaults.minInstances(s);
        long idleSeconds = FunctionDefaults.idleSeconds(s);
        long last = lastActivity.getOrDefault(key, startedAt);
        // the limiter counts every admitted request, held ones too: running = admitted - held
        int held = activator.held(key);
        int running = Math.max(0, limiter.inFlight(key.toString()) - held);
        boolean leader = peers.leader();
        if (leader) {
            LoadBoard.Load others = reports.others(key.toString());
            held += others.held();
            running += others.running();
            last = Math.max(last, others.lastActivityMillis());
        }
        final int heldAll = held, runningAll = running;
        long idle = System.currentTimeMillis() - last;
        int desired = Autoscaler.desired(new Autoscaler.Load(running, held, perInstance, min, FunctionDefaults.maxInstances(s), current, idle,
                idleSeconds));
        List<Instances.PodState> pods = instances.pods(key);
        List<String> marked = pods.stream().filter(Instances.PodState::markedForRemoval).map(Instances.PodState::name).toList();
        if (leader && !marked.isEmpty() && desired > current) {
            // work came back while pods were marked: a marked pod is warm, cheaper than a cold start. Only the leader
            // unmarks, so an unmark never races its own scale-down write (both go through one writer per function)
            write(key, () -> mark(key, marked, false));
            return;
        }
        if (desired > current) {
            write(key, () -> scale(fn, key, current, desired, runningAll, heldAll, idle, idleSeconds));
            return;
        }
        if (!leader) {
            return;
        }
        long now = System.currentTimeMillis();
        String prefix = key + "/";
        // busy here (the pod state says) or on any other replica that reported lately, draining ones included
        Set<String> busyElsewhere = reports.busyElsewhere(key.toString());
        retiredSeen.keySet().removeIf(id -> id.startsWith(prefix) && pods.stream().noneMatch(p -> p.retired() && id.equals(prefix + p.name())));
        List<String> orphans = RetiredPods.toDelete(pods.stream().filter(Instances.PodState::retired)
                .map(p -> new RetiredPods.Pod(p.name(), p.busy() || busyElsewhere.contains(p.name()),
                        retiredSeen.computeIfAbsent(prefix + p.name(), id -> now)))
                .toList(), reports.complete(), now, RETIRED_SETTLE_INTERVALS * config.scaleInterval().toMillis());
        if (!orphans.isEmpty()) {
            write(key, () -> orphans.forEach(pod -> instances.deleteRetired(key, pod)));
            return;
        }
        if (desired < current && !reports.complete()) {
            return;
        }
        markSeen.keySet().removeIf(id -> id.startsWith(prefix) && pods.stream().noneMatch(p -> id.equals(prefix + p.name())));
        List<ScaleDown.Pod> view = pods.stream().map(p -> new ScaleDown.Pod(p.name(), p.ready(), p.markedForRemoval(),
                p.busy() || busyElsewhere.contains(p.name()), settled(key, p, now))).toList();
        switch (ScaleDown.plan(current, desired, view)) {
            case ScaleDown.Wait w -> {
            }
            case ScaleDown.Mark m -> write(key, () -> mark(key, m.pods(), true));
            case ScaleDown.Unmark u -> write(key, () -> mark(key, u.pods(), false));
            case ScaleDown.Scale sc -> write(key, () -> scale(fn, key, current, sc.replicas(), runningAll, heldAll, idle, idleSeconds));
        }
    }

    /**
     * A marked pod is settled once this replica has seen the mark for a scale interval and every other replica says,
     * in its load report, that it has seen the mark too (so it routes no new call there; a call it still runs there
     * shows as busy).
     */
    private boolean settled(FunctionKey key, Instances.PodState pod, long now) {
        String id = key + "/" + pod.name();
        if (!pod.markedForRemoval()) {
            markSeen.remove(id);
            return false;
        }
        long seen = markSeen.computeIfAbsent(id, k -> now);
        return now - seen >= config.scaleInterval().toMillis() && reports.seenMarkedByAll(key.toString(), pod.name());
    }

    private void write(FunctionKey key, Runnable change) {
        if (writing.add(key)) {
            writer.submit(() -> {
                try {
                    change.run();
                } catch (RuntimeException ex) {
                    LOG.warnf("%s: could not change its instances: %s", key, ex.getMessage());
                } finally {
                    writing.remove(key);
                }
            });
        }
    }

    private void mark(FunctionKey key, List<String> pods, boolean mark) {
        String patch = PodMarks.scaleDownPatch(mark);
        for (String pod : pods) {
            try {
                client.pods().inNamespace(key.namespace()).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                LOG.debugf("%s: %s pod %s for scale-down", key, mark ? "marked" : "unmarked", pod);
            } catch (KubernetesClientException ex) {
                if (ex.getCode() != 404) {
                    throw ex;
                }
            }
        }
    }

    private void scale(Function fn, FunctionKey key, int current, int desired, int running, int held, long idle, long idleSeconds) {
        client.apps().deployments().inNamespace(key.namespace()).withName(key.name()).scale(desired);
        LOG.infof("%s: scaled %d -> %d (running %d, held %d)", key, current, desired, running, held);
        if (current == 0 || desired == 0) {
            events.record(fn, "Normal", current == 0 ? "ScaledFromZero" : "ScaledToZero", "Scale", current == 0
                    ? "started " + desired + " instance(s) for " + held + " waiting request(s)"
                    : "no invocation for " + idle / 1000 + " s (idleSeconds " + idleSeconds + ")");
        }
    }
}
