package dev.lambkin.gateway.async;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often in a row this replica saw an event throttled or met by a system error: what the backoff grows with.
 * JetStream's delivery count would also count the redeliveries after a gateway stopped or died (its ack wait ran
 * out), so every rolling upgrade would double every waiting event's backoff. Counts are per replica and bounded
 * (the oldest are forgotten): an event another replica takes starts its backoff again, which only retries it
 * sooner. Keyed by the event's request id, which its redeliveries and retries keep (a stream's sequence numbers
 * start again when NATS loses its stream). Plain Java, thread-safe.
 */
final class SystemFailures {
    private final Map<String, Integer> counts;

    SystemFailures(int capacity) {
        this.counts = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** One more failure of the event with this request id; returns how many in a row now (1 for the first). */
    synchronized int record(String requestId) {
        return counts.merge(requestId, 1, Integer::sum);
    }

    /** The event is done with (delivered, retried as a new message, or given up). */
    synchronized void forget(String requestId) {
        counts.remove(requestId);
    }

    synchronized int size() {
        return counts.size();
    }
}
