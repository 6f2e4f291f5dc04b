package dev.lambkin.gateway.route;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.lambkin.api.status.StartFailure;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The routing table: every function's pods with their IPs, from a pod informer, not DNS. A pod is routable as
 * soon as the gateway itself can connect to its port, which is sooner than the kubelet's readiness probe,
 * EndpointSlice and kube-proxy chain; a pod the kubelet calls Ready is routable too. Pods failing to start
 * are reported, so requests held for them fail fast.
 */
@ApplicationScoped
public class Instances {
    private static final Logger LOG = Logger.getLogger(Instances.class);
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String FUNCTION_LABEL = "lambkin.dev/function";
    /** How often an unready pod's port is tried while it starts. */
    static final long PROBE_INTERVAL_MS = 15;
    /** How long the gateway keeps trying a pod's port before it leaves that to the kubelet. */
    static final long PROBE_GIVE_UP_MS = 120_000;

    private final KubernetesClient client;
    private final Vertx vertx;
    private final Map<FunctionKey, Map<String, Instance>> routable = new ConcurrentHashMap<>();
    private final Map<FunctionKey, Map<String, StartFailure>> failures = new ConcurrentHashMap<>();
    private final Map<String, Long> probing = new ConcurrentHashMap<>();
    private final List<Consumer<FunctionKey>> listeners = new CopyOnWriteArrayList<>();
    private SharedIndexInformer<Pod> informer;
    private NetClient probes;

    public Instances(KubernetesClient client, Vertx vertx) {
        this.client = client;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent e) {
        probes = vertx.createNetClient(new NetClientOptions().setConnectTimeout(250));
        informer = client.pods().inAnyNamespace().withLabel(MANAGED_BY, "lambkin-operator")
                .inform(Upserts.of(this::observe, this::forget), 0);
    }

    void stop(@Observes ShutdownEvent e) {
        if (informer != null) {
            informer.close();
        }
    }

    /** Called with a function's key whenever its routable pods or start failures change. */
    public void onChange(Consumer<FunctionKey> listener) {
        listeners.add(listener);
    }

    /** Takes a slot on the least busy routable instance with one free (least outstanding requests). */
    public Optional<Instance> take(FunctionKey key, int perInstance) {
        Map<String, Instance> pods = routable.get(key);
        if (pods == null) {
            return Optional.empty();
        }
        return pods.values().stream().sorted(Comparator.comparingInt(Instance::outstanding))
                .filter(i -> i.tryTake(perInstance)).findFirst();
    }

    public int routableCount(FunctionKey key) {
        Map<String, Instance> pods = routable.get(key);
        return pods == null ? 0 : pods.size();
    }

    /** Why the function's pods cannot start, if one of them says so now. */
    public Optional<StartFailure> startFailure(FunctionKey key) {
        Map<String, StartFailure> f = failures.get(key);
        return f == null ? Optional.empty() : f.values().stream().findFirst();
    }

    private void observe(Pod pod) {
        FunctionKey key = key(pod);
        if (key == null) {
            return;
        }
        String name = pod.getMetadata().getName();
        Optional<StartFailure> failure = StartFailure.ofPod(pod);
        boolean changed = failure.isPresent()
                ? !failure.get().equals(failures.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(name, failure.get()))
                : removeFailure(key, name);
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (pod.getMetadata().getDeletionTimestamp() != null || ip == null || failure.isPresent()) {
            changed |= removeRoutable(key, name);
        } else if (kubeletReady(pod)) {
            changed |= addRoutable(key, name, ip, port(pod));
        } else if (!isRoutable(key, name)) {
            // the pod has an address: try its port from now on rather than wait for the kubelet's probe
            probe(key, name, ip, port(pod), System.currentTimeMillis());
        }
        if (changed) {
            notifyListeners(key);
        }
    }

    private void forget(Pod pod) {
        FunctionKey key = key(pod);
        if (key != null && (removeRoutable(key, pod.getMetadata().getName()) | removeFailure(key, pod.getMetadata().getName()))) {
            notifyListeners(key);
        }
    }

    /** Connects to the pod's port until it answers; then the pod takes traffic, before the kubelet says Ready. */
    private void probe(FunctionKey key, String pod, String ip, int port, long since) {
        String id = key + "/" + pod + "@" + ip;
        if (probing.putIfAbsent(id, since) != null) {
            return;
        }
        attempt(key, pod, ip, port, since, id);
    }

    private void attempt(FunctionKey key, String pod, String ip, int port, long since, String id) {
        probes.connect(port, ip).onComplete(ar -> {
            if (ar.succeeded()) {
                ar.result().close();
                probing.remove(id);
                if (stillThere(key, pod, ip) && addRoutable(key, pod, ip, port)) {
                    LOG.debugf("%s: pod %s answers at %s:%d", key, pod, ip, port);
                    notifyListeners(key);
                }
            } else if (System.currentTimeMillis() - since < PROBE_GIVE_UP_MS && stillThere(key, pod, ip)
                    && !isRoutable(key, pod)) {
                vertx.setTimer(PROBE_INTERVAL_MS, t -> attempt(key, pod, ip, port, since, id));
            } else {
                probing.remove(id);
            }
        });
    }

    private boolean stillThere(FunctionKey key, String pod, String ip) {
        Pod p = informer.getStore().getByKey(key.namespace() + "/" + pod);
        return p != null && p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                && ip.equals(p.getStatus().getPodIP()) && StartFailure.ofPod(p).isEmpty();
    }

    private boolean addRoutable(FunctionKey key, String pod, String ip, int port) {
        Map<String, Instance> pods = routable.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        Instance existing = pods.get(pod);
        if (existing != null && existing.ip().equals(ip)) {
            return false;
        }
        pods.put(pod, new Instance(pod, ip, port));
        return true;
    }

    private boolean isRoutable(FunctionKey key, String pod) {
        Map<String, Instance> pods = routable.get(key);
        return pods != null && pods.containsKey(pod);
    }

    private boolean removeRoutable(FunctionKey key, String pod) {
        Map<String, Instance> pods = routable.get(key);
        return pods != null && pods.remove(pod) != null;
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

    private static boolean kubeletReady(Pod pod) {
        return pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The runtime contract's port: the container port named http (the operator names it so). */
    private static int port(Pod pod) {
        return pod.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                .filter(p -> "http".equals(p.getName())).map(ContainerPort::getContainerPort).findFirst().orElse(8080);
    }
}
