package dev.lambkin.gateway.limit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Lambda's concurrency limits, exactly: the installation has a pool; a function with reserved concurrency gets
 * exactly that much (floor and ceiling); all others share what is left, which never falls below a minimum.
 * Every acquire and release happens under one lock, so a limit is never exceeded, not even for a moment.
 */
public final class ConcurrencyLimiter {
    /** Why an invocation was refused; the names are Lambda's. */
    public enum Throttle {
        ReservedFunctionConcurrentInvocationLimitExceeded,
        ConcurrentInvocationLimitExceeded
    }

    /** The outcome of an acquire: a permit to release, or the throttle that refused it. */
    public sealed interface Result permits Permit, Refused {
    }

    /** Held while an invocation runs; release it exactly once. */
    public record Permit(String function) implements Result {
    }

    public record Refused(Throttle reason) implements Result {
    }

    private int total;
    private int unreservedMinimum;
    private final Map<String, Integer> reserved = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private int reservedSum;
    private int unreservedInFlight;

    public ConcurrencyLimiter(int total, int unreservedMinimum) {
        if (total < 1 || unreservedMinimum < 0 || unreservedMinimum > total) {
            throw new IllegalArgumentException("need 0 <= unreservedMinimum <= total, total >= 1");
        }
        this.total = total;
        this.unreservedMinimum = unreservedMinimum;
    }

    /**
     * Changes the pool (this replica's share of it, when several gateways split it). Invocations running keep
     * their permits; new ones see the new size.
     */
    public synchronized void resize(int total, int unreservedMinimum) {
        if (total < 0 || unreservedMinimum < 0 || unreservedMinimum > total) {
            throw new IllegalArgumentException("need 0 <= unreservedMinimum <= total");
        }
        this.total = total;
        this.unreservedMinimum = unreservedMinimum;
    }

    public synchronized int total() {
        return total;
    }

    /**
     * Sets or clears (null) a function's reservation. Refused (false) when the reservations would leave less than
     * the unreserved minimum; the function then stays as it was.
     */
    public synchronized boolean reserve(String function, Integer concurrency) {
        int before = reserved.getOrDefault(function, 0);
        int after = concurrency == null ? 0 : concurrency;
        if (concurrency != null && reservedSum - before + after > total - unreservedMinimum) {
            return false;
        }
        boolean wasReserved = reserved.containsKey(function);
        int running = inFlight.getOrDefault(function, 0);
        if (wasReserved && concurrency == null) {
            unreservedInFlight += running;
        } else if (!wasReserved && concurrency != null) {
            unreservedInFlight -= running;
        }
        if (concurrency == null) {
            reserved.remove(function);
        } else {
            reserved.put(function, concurrency);
        }
        reservedSum += after - before;
        return true;
    }

    /** The concurrency left to functions without a reservation. */
    public synchronized int unreservedCapacity() {
        return total - reservedSum;
    }

    public synchronized Result tryAcquire(String function) {
        int running = inFlight.getOrDefault(function, 0);
        Integer limit = reserved.get(function);
        if (limit != null) {
            if (running >= limit) {
                return new Refused(Throttle.ReservedFunctionConcurrentInvocationLimitExceeded);
            }
        } else if (unreservedInFlight >= total - reservedSum) {
            return new Refused(Throttle.ConcurrentInvocationLimitExceeded);
        } else {
            unreservedInFlight++;
        }
        inFlight.put(function, running + 1);
        return new Permit(function);
    }

    public synchronized void release(Permit permit) {
        String function = permit.function();
        int running = inFlight.getOrDefault(function, 0);
        if (running <= 0) {
            throw new IllegalStateException("released more permits than acquired for " + function);
        }
        if (running == 1) {
            inFlight.remove(function);
        } else {
            inFlight.put(function, running - 1);
        }
        if (!reserved.containsKey(function)) {
            unreservedInFlight--;
        }
    }

    public synchronized int inFlight(String function) {
        return inFlight.getOrDefault(Objects.requireNonNull(function), 0);
    }
}
