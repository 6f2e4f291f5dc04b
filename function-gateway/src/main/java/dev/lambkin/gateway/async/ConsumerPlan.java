package dev.lambkin.gateway.async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.lambkin.gateway.route.FunctionKey;

/**
 * Which functions' events a gateway reads. A pull consumer per function costs both sides all the time (pulls,
 * heartbeats), so only a function with events gets one: one this gateway just stored, or one the stream still
 * holds (stored by another replica, or before a restart). A consumer idle for longer than the configured time is
 * let go, and so is the consumer of a deleted Function (its events wait in the stream in case it returns).
 */
public final class ConsumerPlan {
    public sealed interface Change permits Start, Stop {
        FunctionKey key();
    }

    public record Start(FunctionKey key) implements Change {
    }

    public enum Why { DELETED, IDLE }

    public record Stop(FunctionKey key, Why why) implements Change {
    }

    private ConsumerPlan() {
    }

    /**
     * @param running   functions this gateway has a consumer for
     * @param functions the Functions that exist
     * @param busyAt    when each function last had an event stored or waiting (System.nanoTime())
     * @param idle      how long a consumer is kept after that
     */
    public static List<Change> changes(Set<FunctionKey> running, Set<FunctionKey> functions, Map<FunctionKey, Long> busyAt,
            long now, Duration idle) {
        long idleNanos = idle.toNanos();
        List<Change> changes = new ArrayList<>();
        for (FunctionKey key : running) {
            if (!functions.contains(key)) {
                changes.add(new Stop(key, Why.DELETED));
            } else if (!busy(busyAt.get(key), now, idleNanos)) {
                changes.add(new Stop(key, Why.IDLE));
            }
        }
        for (var e : busyAt.entrySet()) {
            if (!running.contains(e.getKey()) && functions.contains(e.getKey()) && busy(e.getValue(), now, idleNanos)) {
                changes.add(new Start(e.getKey()));
            }
        }
        return changes;
    }

    static boolean busy(Long at, long now, long idleNanos) {
        return at != null && now - at <= idleNanos;
    }
}
