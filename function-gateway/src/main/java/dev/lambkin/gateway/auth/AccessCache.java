package dev.lambkin.gateway.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Recent answers of the API server, positive and negative, each for a few seconds (a revoked RoleBinding stops
 * working within that), at most maxEntries of them (the least recently used go first). Plain Java; the clock is
 * passed in.
 */
public final class AccessCache<K, V> {
    private record Cached<V>(V value, long expiresAtMillis) {
    }

    private final long ttlMillis;
    private final LongSupplier clock;
    private final Map<K, Cached<V>> entries;

    public AccessCache(long ttlMillis, int maxEntries, LongSupplier clock) {
        if (ttlMillis < 0 || maxEntries < 1) {
            throw new IllegalArgumentException("need ttl >= 0 and maxEntries >= 1");
        }
        this.ttlMillis = ttlMillis;
        this.clock = clock;
        this.entries = new LinkedHashMap<K, Cached<V>>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Cached<V>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The cached value, or null when there is none or it expired. */
    public synchronized V get(K key) {
        Cached<V> e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (clock.getAsLong() >= e.expiresAtMillis()) {
            entries.remove(key);
            return null;
        }
        return e.value();
    }

    public synchronized void put(K key, V value) {
        if (ttlMillis > 0) {
            entries.put(key, new Cached<>(value, clock.getAsLong() + ttlMillis));
        }
    }

    public synchronized int size() {
        return entries.size();
    }
}
