package dev.lambkin.gateway.peers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;

import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.route.Upserts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The gateway replicas that share the work: the ready gateway pods (this one always counts), in name order so
 * every replica computes the same shares, and which one holds the Lease and so runs the autoscaler. A gateway
 * that is not in a pod is alone and leads.
 */
@ApplicationScoped
public class GatewayPeers {
    private static final Logger LOG = Logger.getLogger(GatewayPeers.class);

    /** This replica's place: index among count replicas. */
    public record View(List<String> replicas, int index, boolean leader) {
        public int count() {
            return replicas.size();
        }
    }

    private final KubernetesClient client;
    private final GatewayConfig.Peers config;
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService election = Executors.newSingleThreadExecutor(r -> new Thread(r, "gateway-leader-election"));
    private volatile View view;
    private volatile boolean leader;
    private volatile boolean stopping;
    private volatile java.util.concurrent.CompletableFuture<?> campaign;
    private SharedIndexInformer<Pod> pods;

    public GatewayPeers(KubernetesClient client, GatewayConfig config) {
        this.client = client;
        this.config = config.peers();
        String self = this.config.podName().orElse("gateway");
        this.leader = this.config.podName().isEmpty();
        this.view = new View(List.of(self), 0, leader);
    }

    void start(@Observes StartupEvent e) {
        if (config.podName().isEmpty() || config.namespace().isEmpty()) {
            LOG.info("not in a pod: one gateway, which runs the autoscaler itself");
            return;
        }
        Map<String, String> selector = new java.util.HashMap<>();
        for (String kv : config.selector().split(",")) {
            String[] p = kv.split("=", 2);
            selector.put(p[0].trim(), p.length > 1 ? p[1].trim() : "");
        }
        pods = client.pods().inNamespace(config.namespace().get()).withLabels(selector)
                .inform(Upserts.of(p -> recompute(), p -> recompute()), 0);
        election.submit(this::elect);
    }

    void stop(@Observes ShutdownEvent e) {
        stopping = true;
        var running = campaign;
        if (running != null) {
            running.cancel(true); // releases the Lease (releaseOnCancel): the next leader need not wait it out
        }
        election.shutdownNow();
        if (pods != null) {
            pods.close();
        }
    }

    /** Runs when the replicas or the leader change, e.g. to re-split the limits. */
    public void onChange(Runnable action) {
        listeners.add(action);
    }

    public View view() {
        return view;
    }

    public boolean leader() {
        return view.leader();
    }

    private synchronized void recompute() {
        String self = config.podName().orElseThrow();
        TreeSet<String> ready = new TreeSet<>();
        ready.add(self);
        if (pods != null) {
            for (Pod p : pods.getStore().list()) {
                if (p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getConditions() != null
                        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
                    ready.add(p.getMetadata().getName());
                }
            }
        }
        List<String> names = List.copyOf(ready);
        View next = new View(names, names.indexOf(self), leader);
        if (!next.equals(view)) {
            view = next;
            LOG.infof("gateway replicas: %s (this one is #%d%s)", names, next.index(), leader ? ", the leader" : "");
            listeners.forEach(Runnable::run);
        }
    }

    /** Campaigns for the Lease for as long as the gateway runs; leadership lost means campaigning again. */
    private void elect() {
        String self = config.podName().orElseThrow();
        while (!stopping) {
            try {
                campaign = client.leaderElector().withConfig(new LeaderElectionConfigBuilder().withName(config.lease())
                        .withLock(new LeaseLock(config.namespace().get(), config.lease(), self))
                        .withLeaseDuration(Duration.ofSeconds(15)).withRenewDeadline(Duration.ofSeconds(10))
                        .withRetryPeriod(Duration.ofSeconds(2)).withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(() -> setLeader(true), () -> setLeader(false), id -> {
                        })).build()).build().start();
                campaign.get();
            } catch (InterruptedException | java.util.concurrent.CancellationException ex) {
                return; // shutting down
            } catch (Exception ex) {
                LOG.warnf("leader election: %s; trying again", ex.getMessage());
            }
            setLeader(false);
        }
    }

    private void setLeader(boolean now) {
        if (leader != now) {
            leader = now;
            LOG.infof(now ? "this gateway leads (Lease %s): it runs the autoscaler" : "this gateway no longer leads (Lease %s)",
                    config.lease());
            recompute();
        }
    }
}
