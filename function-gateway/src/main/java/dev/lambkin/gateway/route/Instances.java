package dev.lambkin.gateway.route;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.lambkin.api.status.StartFailure;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The routing table: every function's pods with their IPs, from a pod informer, not DNS. On its first start a
 * pod whose readiness is its port answering (the default TCP probe) is routable as soon as the gateway itself can
 * connect to it, which is sooner than the kubelet's probe, EndpointSlice and kube-proxy chain; a pod with a
 * readiness probe of its own waits for the kubelet; after the first start, routing follows the kubelet's
 * readiness (an unready or restarting pod is out of rotation). A pod marked for scale-down takes no new calls; a pod whose
 * call timed out or crashed is retired: out of rotation at once and deleted, with no grace, once its calls are
 * done (its ReplicaSet starts a fresh one, as Lambda replaces an execution environment). Pods failing to
 * start are reported, so requests held for them fail fast.
 */
@Singleton
public class Instances {
    private static final Logger LOG = Logger.getLogger(Instances.class);
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String FUNCTION_LABEL = "lambkin.dev/function";
    /** How often an unready pod's port is tried while it starts. */
    static final long PROBE_INTERVAL_MS = 15;
    /** How long the gateway keeps trying a pod's port before it leaves that to the kubelet. */
    static final long PROBE_GIVE_UP_MS = 120_000;
    /** How often the pod's status is read while waiting to learn how a process ended. */
    static final long EXIT_POLL_MS = 50;
    private static final String BY_FUNCTION = "function";
    /** Tries to mark or delete a retired pod before giving up (about a minute in all). */
    static final int REAP_ATTEMPTS = 6;

    /** One pod as the scale-down decision sees it. */
    public record PodState(String name, boolean ready, boolean markedForRemoval, boolean retired, boolean busy) {
    }

    private final KubernetesClient client;
    private final Vertx vertx;
    /** Every known pod of each function that has an address, in rotation or not. */
    private final Map<FunctionKey, Map<String, Instance>> pods = new ConcurrentHashMap<>();
    private final Map<FunctionKey, Map<String, StartFailure>> failures = new ConcurrentHashMap<>();
    /** Pods the kubelet has called Ready at least once: from then on, routing follows its readiness. */
    private final Set<String> everReady = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> probing = new ConcurrentHashMap<>();
    private final List<Consumer<FunctionKey>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService reaper = Executors.newVirtualThreadPerTaskExecutor();
    private SharedIndexInformer<Pod> informer;
    private NetClient probes;
    private volatile boolean stopping;

    public Instances(KubernetesClient client, Vertx vertx) {
        this.client = client;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent e) {
        probes = vertx.createNetClient(new NetClientOptions().setConnectTimeout(250));
        informer = client.pods().inAnyNamespace().withLabel(MANAGED_BY, "lambkin-operator").runnableInformer(0);
        // scale decisions read one function's pods every second: an index, not a scan of every pod
        informer.addIndexers(Map.of(BY_FUNCTION, p -> {
            FunctionKey k = key(p);
            return k == null ? List.of() : List.of(k.toString());
        }));
        informer.addEventHandler(Upserts.of(this::observe, this::forget));
        informer.run();
    }

    void beginStopping(@Observes @Priority(1) ShutdownEvent e) {
        stopping = true;
    }

    /**
     * Whether this gateway is stopping: from here its own connections close under the calls still in flight, so a
     * connection that fails says nothing about the pod at the other end.
     */
    public boolean stopping() {
        return stopping;
    }

    void stop(@Observes ShutdownEvent e) {
        if (informer != null) {
            informer.close();
        }
        reaper.shutdown();
    }

    /** Called with a function's key whenever its routable pods, their free slots or its start failures change. */
    public void onChange(Consumer<FunctionKey> listener) {
        listeners.add(listener);
    }

    /** Takes a slot on the least busy routable instance with one free (least outstanding requests). */
    public Optional<Instance> take(FunctionKey key, int perInstance) {
        Map<String, Instance> known = pods.get(key);
        if (known == null) {
            return Optional.empty();
        }
        // every call comes here: one pass for the least busy, and the sorted walk only when it is full meanwhile
        Instance least = null;
        for (Instance i : known.values()) {
            if (i.routable() && (least == null || i.outstanding() < least.outstanding())) {
                least = i;
            }
        }
        if (least == null) {
            return Optional.empty();
        }
        if (least.tryTake(perInstance)) {
            return Optional.of(least);
        }
        return known.values().stream().filter(Instance::routable).sorted(Comparator.comparingInt(Instance::outstanding))
                .filter(i -> i.tryTake(perInstance)).findFirst();
    }

    /** The call on this instance is over: its slot is free again, and a retired instance goes once idle. */
    public void release(Instance instance) {
        if (instance.giveBack() == 0 && instance.retired()) {
            reap(instance);
        }
        notifyListeners(instance.function());
    }

    /**
     * Takes the instance out of rotation for good (its call timed out or its process died): it is deleted with no
     * grace once the calls still running on it are done, and its ReplicaSet starts a fresh pod.
     */
    public void retire(Instance instance, String why) {
        if (instance.retire()) {
            LOG.infof("%s: replacing pod %s (%s)", instance.function(), instance.pod(), why);
            notifyListeners(instance.function());
            // the other gateway replicas stop routing to it too
            String patch = PodMarks.retiredPatch(why);
            onReaper(() -> retrying(instance, "mark", () -> client.pods().inNamespace(instance.function().namespace())
                    .withName(instance.pod()).patch(PatchContext.of(PatchType.JSON_MERGE), patch)));
        }
    }

    private void reap(Instance instance) {
        onReaper(() -> retrying(instance, "delete", () -> delete(instance.function(), instance.pod())));
    }

    /** After shutdown the reaper takes nothing more: the leader deletes what this gateway retired but did not delete. */
    private void onReaper(Runnable task) {
        try {
            reaper.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            LOG.debug("stopping: a retired pod is left to the leader");
        }
    }

    /** Deletes a retired pod whose retiring gateway is gone (the leader's call): at once, as that gateway would have. */
    public void deleteRetired(FunctionKey key, String pod) {
        LOG.infof("%s: deleting retired pod %s, which no gateway is running a call on", key, pod);
        delete(key, pod);
    }

    private void delete(FunctionKey key, String pod) {
        client.pods().inNamespace(key.namespace()).withName(pod).withGracePeriod(0).delete();
    }

    /** A retired pod left standing would be out of rotation for good: try again, a few times, with backoff. */
    private void retrying(Instance instance, String what, Runnable action) {
        for (int attempt = 1; attempt <= REAP_ATTEMPTS; attempt++) {
            try {
                action.run();
                return;
            } catch (KubernetesClientException ex) {
                if (ex.getCode() == 404) {
                    return; // gone already
                }
                LOG.warnf("%s: could not %s retired pod %s (try %d of %d): %s", instance.function(), what, instance.pod(),
                        attempt, REAP_ATTEMPTS, ex.getMessage());
            } catch (RuntimeException ex) {
                LOG.warnf("%s: could not %s retired pod %s (try %d of %d): %s", instance.function(), what, instance.pod(),
                        attempt, REAP_ATTEMPTS, ex.getMessage());
            }
            try {
                Thread.sleep(500L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public int routableCount(FunctionKey key) {
        Map<String, Instance> known = pods.get(key);
        return known == null ? 0 : (int) known.values().stream().filter(Instance::routable).count();
    }

    /** Pods of the function this gateway has seen marked for scale-down (its load reports say so). */
    public Set<String> markedPods(FunctionKey key) {
        return pods(key).stream().filter(PodState::markedForRemoval).map(PodState::name).collect(Collectors.toSet());
    }

    /** Pods of the function running a call through this gateway now. */
    public Set<String> busyPods(FunctionKey key) {
        Map<String, Instance> known = pods.get(key);
        return known == null ? Set.of()
                : known.values().stream().filter(i -> i.outstanding() > 0).map(Instance::pod).collect(Collectors.toSet());
    }

    /** The function's live pods (not being deleted), for choosing which to remove on scale-down. */
    public List<PodState> pods(FunctionKey key) {
        if (informer == null) {
            return List.of();
        }
        Map<String, Instance> known = pods.getOrDefault(key, Map.of());
        // as the ReplicaSet counts them: not being deleted, not finished (an evicted pod stays, Failed)
        return informer.getIndexer().byIndex(BY_FUNCTION, key.toString()).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && !finished(p))
                .map(p -> {
                    Instance i = known.get(p.getMetadata().getName());
                    return new PodState(p.getMetadata().getName(), kubeletReady(p), PodMarks.markedForRemoval(p),
                            PodMarks.retired(p), i != null && i.outstanding() > 0);
                })
                .toList();
    }

    /** Why the function's pods cannot start, if one of them says so now. */
    public Optional<StartFailure> startFailure(FunctionKey key) {
        Map<String, StartFailure> f = failures.get(key);
        return f == null ? Optional.empty() : f.values().stream().findFirst();
    }

    /**
     * How the instance's process ended, once the kubelet reports it (within waitMillis): Lambda's wording,
     * e.g. "Runtime exited with error: exit status 3" or "signal: killed"; empty when nothing was reported.
     */
    public Future<Optional<String>> exitOf(Instance instance, long waitMillis) {
        Promise<Optional<String>> result = Promise.promise();
        pollExit(instance, System.currentTimeMillis() + waitMillis, result);
        return result.future();
    }

    private void pollExit(Instance instance, long until, Promise<Optional<String>> result) {
        Pod p = informer == null ? null
                : informer.getStore().getByKey(instance.function().namespace() + "/" + instance.pod());
        Optional<String> exit = p == null ? Optional.empty() : exitDescription(p, instance.restartsAtStart());
        if (exit.isPresent() || System.currentTimeMillis() >= until) {
            result.complete(exit);
            return;
        }
        vertx.setTimer(EXIT_POLL_MS, t -> pollExit(instance, until, result));
    }

    static Optional<String> exitDescription(Pod pod, int restartsBefore) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
            ContainerStateTerminated t = c.getState() != null ? c.getState().getTerminated() : null;
            if (t == null && c.getRestartCount() != null && c.getRestartCount() > restartsBefore && c.getLastState() != null) {
                t = c.getLastState().getTerminated();
            }
            if (t != null && t.getExitCode() != null) {
                return Optional.of("Runtime exited with error: " + exitStatus(t.getExitCode(), t.getReason()));
            }
        }
        return Optional.empty();
    }

    /** Go's os/exec wording, as Lambda reports it: "exit status 1", "signal: killed". */
    static String exitStatus(int code, String reason) {
        if ("OOMKilled".equals(reason)) {
            return "signal: killed (out of memory)";
        }
        return switch (code) {
            case 137 -> "signal: killed";
            case 143 -> "signal: terminated";
            case 139 -> "signal: segmentation fault";
            case 134 -> "signal: aborted";
            default -> "exit status " + code;
        };
    }

    private void observe(Pod pod) {
        FunctionKey key = key(pod);
        if (key == null) {
            return;
        }
        String name = pod.getMetadata().getName();
        String id = key.namespace() + "/" + name;
        Optional<StartFailure> failure = StartFailure.ofPod(pod);
        boolean changed = failure.isPresent()
                ? !failure.get().equals(failures.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(name, failure.get()))
                : removeFailure(key, name);
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        boolean ready = kubeletReady(pod);
        if (ready) {
            everReady.add(id);
        }
        if (ip == null) {
            changed |= setRoutable(key, name, false);
        } else {
            Instance instance = pods.computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(name, n -> new Instance(key, n, ip, port(pod), restarts(pod)));
            if (pod.getMetadata().getDeletionTimestamp() != null || failure.isPresent() || PodMarks.markedForRemoval(pod)
                    || PodMarks.retired(pod) || finished(pod)) {
                changed |= instance.routable(false);
            } else if (ready) {
                changed |= instance.routable(true);
            } else if (everReady.contains(id) || restarts(pod) > instance.restartsAtStart() || !portIsReadiness(pod)) {
                // after its first start, routing follows readiness; and a readiness probe of the function's own
                // (an HTTP check, say) is only the kubelet's to judge
                changed |= instance.routable(false);
            } else if (!instance.routable()) {
                // the pod has an address: try its port from now on rather than wait for the kubelet's TCP probe
                probe(instance, System.currentTimeMillis());
            }
        }
        if (changed) {
            notifyListeners(key);
        }
    }

    private void forget(Pod pod) {
        FunctionKey key = key(pod);
        if (key == null) {
            return;
        }
        String name = pod.getMetadata().getName();
        everReady.remove(key.namespace() + "/" + name);
        Map<String, Instance> known = pods.get(key);
        boolean changed = known != null && known.remove(name) != null;
        if (changed | removeFailure(key, name)) {
            notifyListeners(key);
        }
    }

    /** Connects to the pod's port until it answers; then the pod takes traffic, before the kubelet says Ready. */
    private void probe(Instance instance, long since) {
        String id = instance.function() + "/" + instance.pod() + "@" + instance.ip();
        if (probing.putIfAbsent(id, since) != null) {
            return;
        }
        attempt(instance, since, id);
    }

    private void attempt(Instance instance, long since, String id) {
        probes.connect(instance.port(), instance.ip()).onComplete(ar -> {
            if (ar.succeeded()) {
                ar.result().close();
                probing.remove(id);
                if (firstStart(instance) && instance.routable(true)) {
                    if (!firstStart(instance)) {
                        instance.routable(false); // the informer took it out meanwhile (marked, leaving, failing)
                        return;
                    }
                    LOG.debugf("%s: pod %s answers at %s:%d", instance.function(), instance.pod(), instance.ip(), instance.port());
                    notifyListeners(instance.function());
                }
            } else if (System.currentTimeMillis() - since < PROBE_GIVE_UP_MS && firstStart(instance) && !instance.routable()) {
                vertx.setTimer(PROBE_INTERVAL_MS, t -> attempt(instance, since, id));
            } else {
                probing.remove(id);
            }
        });
    }

    /** Still the same pod, starting for the first time, neither failing, leaving nor marked for removal. */
    private boolean firstStart(Instance instance) {
        FunctionKey key = instance.function();
        Pod p = informer.getStore().getByKey(key.namespace() + "/" + instance.pod());
        return p != null && p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                && instance.ip().equals(p.getStatus().getPodIP()) && StartFailure.ofPod(p).isEmpty()
                && !PodMarks.markedForRemoval(p) && !PodMarks.retired(p) && !finished(p) && !everReady.contains(key.namespace() + "/" + instance.pod())
                && restarts(p) == instance.restartsAtStart() && !instance.retired() && portIsReadiness(p);
    }

    private boolean setRoutable(FunctionKey key, String pod, boolean routable) {
        Map<String, Instance> known = pods.get(key);
        Instance i = known == null ? null : known.get(pod);
        return i != null && i.routable(routable);
    }

    private boolean removeFailure(FunctionKey key, String pod) {
        Map<String, StartFailure> f = failures.get(key);
        return f != null && f.remove(pod) != null;
    }

    private void notifyListeners(FunctionKey key) {
        listeners.forEach(l -> l.accept(key));
    }

    private static FunctionKey key(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String fn = labels == null ? null : labels.get(FUNCTION_LABEL);
        return fn == null ? null : new FunctionKey(pod.getMetadata().getNamespace(), fn);
    }

    /**
     * Whether the pod's readiness is just its port answering (the operator's default TCP probe, or none): then the
     * gateway's own connect is the same check, made sooner.
     */
    static boolean portIsReadiness(Pod pod) {
        return pod.getSpec().getContainers().stream().allMatch(c -> c.getReadinessProbe() == null
                || (c.getReadinessProbe().getTcpSocket() != null && c.getReadinessProbe().getExec() == null
                        && c.getReadinessProbe().getHttpGet() == null && c.getReadinessProbe().getGrpc() == null));
    }

    private static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    private static boolean kubeletReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static int restarts(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? 0
                : pod.getStatus().getContainerStatuses().stream()
                        .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
    }

    /** The runtime contract's port: the container port named http (the operator names it so). */
    private static int port(Pod pod) {
        return pod.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                .filter(p -> "http".equals(p.getName())).map(ContainerPort::getContainerPort).findFirst().orElse(8080);
    }
}
