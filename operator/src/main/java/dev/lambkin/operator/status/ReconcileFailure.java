package dev.lambkin.operator.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;

/**
 * A reconcile that threw (a dependent the API server refused, an unreachable API): the status says so at once,
 * Ready false with the reason and the API server's own words, instead of a Ready that no longer holds. The other
 * conditions stay as last observed. Plain Java.
 */
public final class ReconcileFailure {
    public static final String REASON = "ReconcileFailed";
    /** Enough for the API server's message; a status is no place for a stack trace. */
    static final int MESSAGE_CHARS = 1024;
    /** The cause the API server gives for a write refused in a namespace being deleted (k8s.io/api/core/v1). */
    static final String NAMESPACE_TERMINATING = "NamespaceTerminating";

    private ReconcileFailure() {
    }

    /** The conditions after a failed reconcile of the given generation. */
    public static List<Condition> conditions(List<Condition> previous, Long generation, Exception e, Instant now) {
        List<Condition> next = new ArrayList<>();
        next.add(Conditions.of(Conditions.READY, false, REASON, message(e), generation));
        if (previous != null) {
            previous.stream().filter(c -> !Conditions.READY.equals(c.getType())).forEach(next::add);
        }
        return Conditions.withTransitionTimes(previous, next, now);
    }

    /**
     * Whether the API server refused every write because the namespace is being deleted (cause
     * {@code NamespaceTerminating}): nothing can be made there any more and the resource goes with its namespace,
     * so a retry only repeats the refusal (a thousand Functions' namespace deleted caused ~9,000 such requests).
     */
    public static boolean namespaceTerminating(Throwable e) {
        if (e instanceof AggregatedOperatorException a && !a.getAggregatedExceptions().isEmpty()) {
            return a.getAggregatedExceptions().values().stream().allMatch(ReconcileFailure::namespaceTerminating);
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getStatus() != null) {
                return k.getStatus().getDetails() != null && k.getStatus().getDetails().getCauses() != null
                        && k.getStatus().getDetails().getCauses().stream()
                                .anyMatch(c -> NAMESPACE_TERMINATING.equals(c.getReason()));
            }
        }
        return false;
    }

    /** The API server's message when it refused something (it names the object and why), else the root cause's. */
    static String message(Throwable e) {
        String message = "reconcile failed (retried): " + why(e);
        return message.length() <= MESSAGE_CHARS ? message : message.substring(0, MESSAGE_CHARS - 1) + "…";
    }

    /** A workflow's failure names each failed dependent with its own reason (its getMessage has their stack traces). */
    private static String why(Throwable e) {
        if (e instanceof AggregatedOperatorException a && !a.getAggregatedExceptions().isEmpty()) {
            return a.getAggregatedExceptions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(d -> d.getKey() + ": " + why(d.getValue())).collect(Collectors.joining("; "));
        }
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
                return k.getStatus().getMessage();
            }
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message != null ? message : e.getClass().getSimpleName();
    }
}
