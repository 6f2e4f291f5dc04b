package dev.lambkin.gateway.invoke;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: random (version 4) UUIDs, as Lambda's, from a thread-local generator. UUID.randomUUID() draws on
 * SecureRandom, a shared lock on every invocation; an id needs to be unique, not unguessable.
 */
public final class RequestIds {
    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(hi, lo).toString();
    }
}
