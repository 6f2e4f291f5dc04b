package dev.lambkin.gateway.scale;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;

import dev.lambkin.api.status.Events;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.FunctionSpec;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.activate.Activator;
import dev.lambkin.gateway.limit.ConcurrencyLimiter;
import dev.lambkin.gateway.peers.GatewayPeers;
import dev.lambkin.gateway.peers.LoadBoard;
import dev.lambkin.gateway.peers.LoadReports;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs the {@link Autoscaler} for every function, every {@code scale-interval} and at once when a request is
 * held, and writes its decision through the Deployment's scale subresource (the gateway owns replicas).
 */
@ApplicationScoped
public class ScaleController {
    private static final Logger LOG = Logger.getLogger(ScaleController.class);
    private static final String INSTANCE = System.getenv().getOrDefault("HOSTNAME", "lambkin-gateway");

    private final KubernetesClient client;
    private final FunctionCatalog catalog;
    private final ConcurrencyLimiter limiter;
    private final Activator activator;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final GatewayPeers peers;
    private final LoadReports reports;
    private final Map<FunctionKey, Long> lastActivity = new ConcurrentHashMap<>();
    private final Set<FunctionKey> writing = ConcurrentHashMap.newKeySet();
    private final ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor();
    private final long startedAt = System.currentTimeMillis();
    private SharedIndexInformer<Deployment> deployments;
    private long timer = -1;

    public ScaleController(KubernetesClient client, FunctionCatalog catalog, ConcurrencyLimiter limiter,
            Activator activator, Vertx vertx, GatewayConfig config, GatewayPeers peers, LoadReports reports) {
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
        activator.onHold(this::evaluate);
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

    /** A Kubernetes Event on the Function; a lost event must not fail the scaling that happened. */
    private void record(Function fn, String reason, String note) {
        try {
            client.events().v1().events().inNamespace(fn.getMetadata().getNamespace()).resource(Events.of(fn, "Normal",
                    reason, "Scale", note, "lambkin.dev/gateway", INSTANCE, java.time.Instant.now())).create();
        } catch (RuntimeException ex) {
            LOG.warnf("could not record %s on %s/%s: %s", reason, fn.getMetadata().getNamespace(),
                    fn.getMetadata().getName(), ex.getMessage());
        }
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
        lastActivity.forEach((key, last) -> {
            int held = activator.held(key);
            int running = Math.max(0, limiter.inFlight(key.toString()) - held);
            if (last >= recent || running + held > 0) {
                load.put(key.toString(), new LoadBoard.Load(running, held, last));
            }
        });
        return load;
    }

    /**
     * The leader decides on all replicas' work; any replica may scale up for requests it holds (a cold start never
     * waits for the leader), but only the leader scales down, and only while it hears from every replica.
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
        long idle = System.currentTimeMillis() - last;
        int desired = Autoscaler.desired(new Autoscaler.Load(running, held, perInstance, min, FunctionDefaults.maxInstances(s), current, idle,
                idleSeconds));
        if (desired < current && !(leader && reports.complete())) {
            return;
        }
        final int heldNow = held, runningNow = running;
        if (desired != current && writing.add(key)) {
            writer.submit(() -> {
                try {
                    client.apps().deployments().inNamespace(key.namespace()).withName(key.name()).scale(desired);
                    LOG.infof("%s: scaled %d -> %d (running %d, held %d)", key, current, desired, runningNow, heldNow);
                    if (current == 0 || desired == 0) {
                        record(fn, current == 0 ? "ScaledFromZero" : "ScaledToZero", current == 0
                                ? "started " + desired + " instance(s) for " + heldNow + " waiting request(s)"
                                : "no invocation for " + idle / 1000 + " s (idleSeconds " + idleSeconds + ")");
                    }
                } catch (RuntimeException ex) {
                    LOG.warnf("%s: could not scale to %d: %s", key, desired, ex.getMessage());
                } finally {
                    writing.remove(key);
                }
            });
        }
    }
}
