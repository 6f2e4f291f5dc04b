package dev.lambkin.gateway.route;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.json.JsonObject;

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

    /** The JSON merge patch that marks a pod for scale-down (or, with false, takes the mark back). */
    public static String scaleDownPatch(boolean mark) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(REMOVAL, mark ? "true" : null);
        a.put(DELETION_COST, mark ? LOWEST_COST : null);
        return annotationsPatch(a);
    }

    /** The JSON merge patch that marks a pod retired, saying why (cut to 256 characters). */
    public static String retiredPatch(String why) {
        return annotationsPatch(Map.of(RETIRED, why.length() > 256 ? why.substring(0, 256) : why));
    }

    private static String annotationsPatch(Map<String, String> annotations) {
        JsonObject a = new JsonObject();
        annotations.forEach(a::put); // a null value removes the annotation
        return new JsonObject().put("metadata", new JsonObject().put("annotations", a)).encode();
    }
}
