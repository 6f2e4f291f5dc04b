package dev.lambkin.gateway.async;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When an asynchronous event is tried again, and when it is given up, as Lambda does it: a function error
 * (an error answer, or a timeout) is retried up to maxRetries times on a fixed schedule (Lambda: 1 then 2
 * minutes); a throttle or a system error (no instance, pod unreachable) does not use up a retry and is tried
 * again with growing backoff until the event is maxEventAgeSeconds old. Plain Java: no clock, no I/O.
 */
public final class RetryPolicy {
    /** How an attempt failed. */
    public enum Failure {
        FUNCTION_ERROR, THROTTLED, SYSTEM_ERROR
    }

    public sealed interface Decision permits Retry, DeadLetter {
    }

    /** Try again after delay; counted: the attempt used up one of the function's retries. */
    public record Retry(Duration delay, boolean counted) implements Decision {
    }

    /** Give up: condition is RetriesExhausted or EventAgeExceeded (Lambda's names). */
    public record DeadLetter(String condition) implements Decision {
    }

    private final List<Duration> functionErrorDelays;
    private final Duration systemInitial;
    private final Duration systemMax;

    public RetryPolicy(List<Duration> functionErrorDelays, Duration systemInitial, Duration systemMax) {
        if (functionErrorDelays.isEmpty() || systemInitial.isNegative() || systemInitial.isZero()
                || systemMax.compareTo(systemInitial) < 0) {
            throw new IllegalArgumentException("need at least one retry delay and 0 < system-retry-initial <= system-retry-max");
        }
        this.functionErrorDelays = List.copyOf(functionErrorDelays);
        this.systemInitial = systemInitial;
        this.systemMax = systemMax;
    }

    /**
     * @param attemptsMade attempts that reached the function, this one included
     * @param inARow       throttles and system errors of this event in a row, this one included (the backoff's doublings)
     */
    public Decision after(Failure failure, int attemptsMade, long inARow, int maxRetries, Instant acceptedAt,
            int maxEventAgeSeconds, Instant now) {
        Instant expires = acceptedAt.plusSeconds(maxEventAgeSeconds);
        if (failure == Failure.FUNCTION_ERROR) {
            if (attemptsMade > maxRetries) {
                return new DeadLetter("RetriesExhausted");
            }
            Duration delay = functionErrorDelays.get(Math.min(attemptsMade - 1, functionErrorDelays.size() - 1));
            return now.plus(delay).isAfter(expires) ? new DeadLetter("EventAgeExceeded") : new Retry(delay, true);
        }
        if (!now.isBefore(expires)) {
            return new DeadLetter("EventAgeExceeded");
        }
        int doublings = (int) Math.min(30, Math.max(0, inARow - 1));
        Duration backoff = systemInitial.multipliedBy(1L << doublings);
        Duration delay = backoff.compareTo(systemMax) > 0 ? systemMax : backoff;
        Duration left = Duration.between(now, expires);
        // never sleep past the event's end: the last look at it dead-letters it on time
        return new Retry(delay.compareTo(left) > 0 ? left : delay, false);
    }

    /** Whether an event is too old to try at all. */
    public static boolean expired(Instant acceptedAt, int maxEventAgeSeconds, Instant now) {
        return !now.isBefore(acceptedAt.plusSeconds(maxEventAgeSeconds));
    }
}
