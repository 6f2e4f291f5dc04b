package dev.lambkin.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Access decisions are reused for seconds, positive and negative, in bounded memory; tokens are read strictly. */
class AccessCacheTest {
    @Test
    void anAnswerIsReusedUntilItExpires() {
        AtomicLong now = new AtomicLong(1000);
        AccessCache<String, String> cache = new AccessCache<>(10_000, 100, now::get);
        cache.put("alice/invoke/ns/f", "");
        cache.put("bob/invoke/ns/f", "denied");
        now.addAndGet(9_999);
        assertEquals("", cache.get("alice/invoke/ns/f"));
        assertEquals("denied", cache.get("bob/invoke/ns/f"), "refusals are cached too");
        now.addAndGet(1);
        assertNull(cache.get("alice/invoke/ns/f"), "a revoked binding counts within the TTL");
    }

    @Test
    void holdsAtMostMaxEntriesDroppingTheLeastRecentlyUsed() {
        AccessCache<Integer, String> cache = new AccessCache<>(60_000, 3, () -> 0L);
        cache.put(1, "a");
        cache.put(2, "b");
        cache.put(3, "c");
        cache.get(1);
        cache.put(4, "d");
        assertEquals(3, cache.size());
        assertNull(cache.get(2), "the least recently used went");
        assertEquals("a", cache.get(1));
    }

    @Test
    void onlyABearerTokenIsAToken() {
        assertEquals("abc.def", KubernetesAccess.bearer("Bearer abc.def"));
        assertEquals("abc", KubernetesAccess.bearer("bearer   abc "));
        assertNull(KubernetesAccess.bearer(null));
        assertNull(KubernetesAccess.bearer("Basic dXNlcjpwYXNz"));
        assertNull(KubernetesAccess.bearer("Bearer "));
        assertEquals("abc", KubernetesAccess.bearer(" BEARER\tabc"));
        assertEquals("a b", KubernetesAccess.bearer("Bearer a b"), "the rest after the scheme, as sent");
        assertNull(KubernetesAccess.bearer("Bearerabc"));
        assertNull(KubernetesAccess.bearer("Bearer"));
        assertNull(KubernetesAccess.bearer("Bearer " + "x".repeat(20_000)), "bounded");
    }
}
