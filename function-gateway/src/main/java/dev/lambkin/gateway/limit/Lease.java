package dev.lambkin.gateway.limit;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted invocation's share of the concurrency limits. Released exactly once, whoever calls
 * {@link #release()} first and however often: a second release is a no-op, never a slot given back twice.
 */
public final class Lease implements Admission.Result {
    private final ConcurrencyLimiter.Permit permit;
    private final Admission owner;
    private final AtomicBoolean released = new AtomicBoolean();

    Lease(ConcurrencyLimiter.Permit permit, Admission owner) {
        this.permit = permit;
        this.owner = owner;
    }

    /** Gives the slot back (and to an event waiting for it). True the first time only. */
    public boolean release() {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        owner.release(permit);
        return true;
    }
}
