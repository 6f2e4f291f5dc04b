package dev.lambkin.gateway.scale;

import java.util.Comparator;
import java.util.List;

/**
 * How to lower a function's instances without interrupting a call. The ReplicaSet controller, not the gateway,
 * picks which pods go when replicas drop, so the gateway first marks idle pods (every gateway replica stops
 * routing to a marked pod, and the ReplicaSet removes the lowest pod-deletion-cost first), waits until the mark
 * has reached every replica and the marked pods are idle on all of them, and only then lowers replicas. Work
 * that returns meanwhile takes the marks back. Plain Java: the caller brings the pods and the clock's verdicts.
 */
public final class ScaleDown {
    private ScaleDown() {
    }

    /**
     * One live pod. ready: the kubelet says Ready (the ReplicaSet removes unready pods before any marked one);
     * busy: running a call on any gateway replica; settled: marked long enough that every replica has seen it.
     */
    public record Pod(String name, boolean ready, boolean marked, boolean busy, boolean settled) {
    }

    public sealed interface Step permits Wait, Mark, Unmark, Scale {
    }

    /** Nothing to do now. */
    public record Wait(String why) implements Step {
    }

    /** Take these pods out of rotation and first in line for removal. */
    public record Mark(List<String> pods) implements Step {
    }

    /** Put these pods back into rotation. */
    public record Unmark(List<String> pods) implements Step {
    }

    /** Lower replicas to this: the ReplicaSet removes exactly the marked pods. */
    public record Scale(int replicas) implements Step {
    }

    public static Step plan(int current, int desired, List<Pod> pods) {
        List<String> marked = pods.stream().filter(Pod::marked).map(Pod::name).toList();
        if (desired >= current) {
            return marked.isEmpty() ? new Wait("no scale-down") : new Unmark(marked);
        }
        if (pods.size() != current) {
            // pods are being replaced or started: the ReplicaSet's choice would not be the marked pods
            return new Wait(pods.size() + " live pods for " + current + " replicas");
        }
        int need = current - desired;
        if (marked.size() > need) {
            List<String> extra = pods.stream().filter(Pod::marked)
                    .sorted(Comparator.comparing(Pod::busy).reversed()).map(Pod::name).limit(marked.size() - need).toList();
            return new Unmark(extra);
        }
        if (marked.size() < need) {
            // unready pods first: the ReplicaSet would remove them before any marked one anyway
            List<String> idle = pods.stream().filter(p -> !p.marked() && !p.busy())
                    .sorted(Comparator.comparing(Pod::ready)).map(Pod::name).limit(need - marked.size()).toList();
            if (!idle.isEmpty()) {
                return new Mark(idle);
            }
            if (marked.isEmpty()) {
                return new Wait("every pod is busy");
            }
        }
        List<Pod> chosen = pods.stream().filter(Pod::marked).toList();
        if (chosen.stream().anyMatch(p -> p.busy() || !p.settled())) {
            return new Wait("marked pods still busy or not yet seen by every gateway");
        }
        if (pods.stream().anyMatch(p -> !p.marked() && !p.ready())) {
            return new Wait("an unmarked pod is not ready: the ReplicaSet would remove it first");
        }
        return new Scale(current - chosen.size());
    }
}
