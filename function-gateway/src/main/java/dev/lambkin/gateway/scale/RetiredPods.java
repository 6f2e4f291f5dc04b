package dev.lambkin.gateway.scale;

import java.util.List;

/**
 * Which retired pods the leader deletes itself. The gateway that retires a pod (a call on it timed out or its
 * process died) deletes it once its own calls there are done; a gateway that dies in between leaves the mark
 * behind, and a retired pod takes no call from any replica: with maxInstances reached, the function would stay
 * unavailable for good. So a retired pod that no replica is running a call on, once the mark has been seen long
 * enough for every replica's load report to say so, is deleted by the leader. Plain Java: the caller brings the
 * pods and the clock.
 */
public final class RetiredPods {
    private RetiredPods() {
    }

    /** A retired pod: busy on any replica that reported lately; since when this replica has seen the mark. */
    public record Pod(String name, boolean busy, long markSeenMillis) {
    }

    /**
     * @param everyReplicaHeard whether the leader has a recent load report from every other ready replica (else a
     *                          call on the pod may be unknown to it)
     * @param settleMillis      how long a mark is seen before the reports are trusted to include the pod's calls
     */
    public static List<String> toDelete(List<Pod> retired, boolean everyReplicaHeard, long now, long settleMillis) {
        if (!everyReplicaHeard) {
            return List.of();
        }
        return retired.stream().filter(p -> !p.busy() && now - p.markSeenMillis() >= settleMillis).map(Pod::name).toList();
    }
}
