package dev.lambkin.gateway.route;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The annotations the gateway puts on a pod it is about to scale away: every gateway replica stops routing to
 * it, and the ReplicaSet controller removes it first when replicas are lowered (pod-deletion-cost).
 */
public final class PodMarks {
    /** Set on a pod chosen for scale-down; gateways take it out of rotation. */
    public static final String REMOVAL = "lambkin.dev/scale-down";
    /** Kubernetes' ReplicaSet ranks pods with a lower cost first when it removes some. */
    public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String LOWEST_COST = Integer.toString(Integer.MIN_VALUE);

    private PodMarks() {
    }

    public static boolean markedForRemoval(Pod pod) {
        Map<String, String> a = pod.getMetadata().getAnnotations();
        return a != null && "true".equals(a.get(REMOVAL));
    }

    /** A JSON merge patch's metadata.annotations that marks (or, with false, unmarks) a pod. */
    public static Map<String, String> annotations(boolean mark) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(REMOVAL, mark ? "true" : null);
        a.put(DELETION_COST, mark ? LOWEST_COST : null);
        return a;
    }
}
