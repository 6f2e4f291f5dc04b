package dev.lambkin.gateway.route;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The annotations the gateway puts on pods, so every gateway replica sees them: a pod about to be scaled away
 * (every replica stops routing to it, and the ReplicaSet controller removes it first when replicas are lowered,
 * by pod-deletion-cost), and a pod being replaced because a call on it timed out or its process died.
 */
public final class PodMarks {
    /** Set on a pod chosen for scale-down; gateways take it out of rotation. */
    public static final String REMOVAL = "lambkin.dev/scale-down";
    /** Kubernetes' ReplicaSet ranks pods with a lower cost first when it removes some. */
    public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String LOWEST_COST = Integer.toString(Integer.MIN_VALUE);
    /** Set on a pod being replaced (a call timed out or crashed there); no gateway routes to it again. */
    public static final String RETIRED = "lambkin.dev/retired";

    private PodMarks() {
    }

    public static boolean markedForRemoval(Pod pod) {
        Map<String, String> a = pod.getMetadata().getAnnotations();
        return a != null && "true".equals(a.get(REMOVAL));
    }

    public static boolean retired(Pod pod) {
        Map<String, String> a = pod.getMetadata().getAnnotations();
        return a != null && a.containsKey(RETIRED);
    }

    /** A JSON merge patch's metadata.annotations that marks (or, with false, unmarks) a pod. */
    public static Map<String, String> annotations(boolean mark) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(REMOVAL, mark ? "true" : null);
        a.put(DELETION_COST, mark ? LOWEST_COST : null);
        return a;
    }
}
