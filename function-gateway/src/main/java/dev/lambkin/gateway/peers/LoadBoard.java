package dev.lambkin.gateway.peers;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the other gateway replicas last reported of their work, for the leader's autoscaler: per function the
 * invocations running and held and the last activity. Reports older than maxAge no longer count, and a leader
 * that lacks a fresh report from any ready replica must not scale down (it would not see that replica's work).
 * Plain Java; the caller passes the clock.
 */
public final class LoadBoard {
    /**
     * One function's work at one replica; busyPods: the pods running a call through it; markedPods: the pods it has
     * seen marked for scale-down (so it routes no new call to them).
     */
    public record Load(int running, int held, long lastActivityMillis, Set<String> busyPods, Set<String> markedPods) {
        static final Load NONE = new Load(0, 0, 0, Set.of(), Set.of());

        Load plus(Load o) {
            Set<String> busy = new java.util.HashSet<>(busyPods);
            busy.addAll(o.busyPods);
            return new Load(running + o.running, held + o.held, Math.max(lastActivityMillis, o.lastActivityMillis), busy,
                    Set.of());
        }
    }

    private record Report(long receivedMillis, Map<String, Load> functions) {
    }

    private final long maxAgeMillis;
    private final Map<String, Report> reports = new HashMap<>();

    public LoadBoard(long maxAgeMillis) {
        this.maxAgeMillis = maxAgeMillis;
    }

    public synchronized void report(String replica, Map<String, Load> functions, long nowMillis) {
        reports.put(replica, new Report(nowMillis, Map.copyOf(functions)));
    }

    /** The sum over the fresh reports of the given replicas (the others: this one's own work is counted apart). */
    public synchronized Load of(String function, Set<String> replicas, long nowMillis) {
        Load sum = Load.NONE;
        for (String r : replicas) {
            Report report = reports.get(r);
            if (report != null && nowMillis - report.receivedMillis() <= maxAgeMillis) {
                sum = sum.plus(report.functions().getOrDefault(function, Load.NONE));
            }
        }
        return sum;
    }

    /** Whether every one of the replicas has reported recently enough to trust a scale-down. */
    public synchronized boolean complete(Set<String> replicas, long nowMillis) {
        return replicas.stream().allMatch(r -> reports.containsKey(r) && nowMillis - reports.get(r).receivedMillis() <= maxAgeMillis);
    }

    /** Whether each of the replicas says, in a fresh report, that it has seen the pod marked for scale-down. */
    public synchronized boolean seenMarkedByAll(String function, String pod, Set<String> replicas, long nowMillis) {
        return replicas.stream().allMatch(r -> {
            Report report = reports.get(r);
            return report != null && nowMillis - report.receivedMillis() <= maxAgeMillis
                    && report.functions().getOrDefault(function, Load.NONE).markedPods().contains(pod);
        });
    }

    /** Pods running a call through any replica that reported lately, ready or not (a draining one still finishes calls). */
    public synchronized Set<String> busyAnywhere(String function, long nowMillis) {
        Set<String> busy = new java.util.HashSet<>();
        reports.values().stream().filter(r -> nowMillis - r.receivedMillis() <= maxAgeMillis)
                .forEach(r -> busy.addAll(r.functions().getOrDefault(function, Load.NONE).busyPods()));
        return busy;
    }
}
