package dev.lambkin.operator.status;

import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.lambkin.api.status.Events;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records Kubernetes Events on Lambkin's resources. Callers record a change (a condition that flipped, an
 * object created), never a state, so events are not repeated on every reconcile.
 */
@ApplicationScoped
public class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    static final String CONTROLLER = "lambkin.dev/operator";

    private final KubernetesClient client;
    private final String instance = System.getenv().getOrDefault("HOSTNAME", "lambkin-operator");

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The last change recorded per object (by uid). A reconcile may still see the status from before the
     * previous patch in its cache; remembering what was recorded keeps such a reconcile from repeating it.
     */
    private final Map<String, Set<String>> recorded = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > 10_000;
        }
    });

    /** Records a Normal event unless the same change ({@code change}, e.g. "generation 3") was recorded before. */
    public void normal(HasMetadata regarding, String change, String reason, String action, String note) {
        if (firstTime(regarding, change)) {
            record(regarding, "Normal", reason, action, note);
        }
    }

    /** Records a Warning event unless the same change was recorded before. */
    public void warning(HasMetadata regarding, String change, String reason, String action, String note) {
        if (firstTime(regarding, change)) {
            record(regarding, "Warning", reason, action, note);
        }
    }

    private boolean firstTime(HasMetadata regarding, String change) {
        String uid = regarding.getMetadata().getUid();
        if (uid == null) {
            return true;
        }
        synchronized (recorded) {
            return recorded.computeIfAbsent(uid, u -> new HashSet<>()).add(change);
        }
    }

    /** Forget recorded changes of one kind (prefix), so the same change can be news again later (e.g. Ready flapping). */
    public void forget(HasMetadata regarding, String changePrefix) {
        String uid = regarding.getMetadata().getUid();
        synchronized (recorded) {
            Set<String> changes = uid == null ? null : recorded.get(uid);
            if (changes != null) {
                changes.removeIf(c -> c.startsWith(changePrefix));
            }
        }
    }

    private void record(HasMetadata regarding, String type, String reason, String action, String note) {
        try {
            client.events().v1().events().inNamespace(regarding.getMetadata().getNamespace())
                    .resource(Events.of(regarding, type, reason, action, note, CONTROLLER, instance, Instant.now())).create();
        } catch (RuntimeException e) {
            // an event is a courtesy: failing to record one must not fail the reconcile
            LOG.warnf("could not record event %s on %s/%s: %s", reason, regarding.getMetadata().getNamespace(),
                    regarding.getMetadata().getName(), e.getMessage());
        }
    }
}
