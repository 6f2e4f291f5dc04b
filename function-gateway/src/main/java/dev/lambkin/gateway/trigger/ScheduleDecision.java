package dev.lambkin.gateway.trigger;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a schedule fires now: at most the latest scheduled instant not yet fired, and only while it is recent
 * (within the catch-up window, like a CronJob's startingDeadlineSeconds). After downtime the most recent missed
 * instant fires once, the older ones never: no storm. Plain Java.
 */
public final class ScheduleDecision {
    private ScheduleDecision() {
    }

    public sealed interface Step {
        /** The next instant to expect, or null when the schedule has none. */
        Instant next();
    }

    /** Fire for this scheduled instant (its event's identity). */
    public record Fire(Instant scheduled, Instant next) implements Step {
    }

    public record Wait(Instant next) implements Step {
    }

    /**
     * @param since the latest instant already fired, or the Trigger's creation: nothing at or before it fires
     */
    public static Step decide(CronSchedule schedule, Instant since, Instant now, Duration catchUp) {
        Instant next = schedule.nextAfter(now).orElse(null);
        Instant latest = schedule.latestAtOrBefore(now).orElse(null);
        if (latest != null && latest.isAfter(since) && !latest.isBefore(now.minus(catchUp))) {
            return new Fire(latest, next);
        }
        return new Wait(next);
    }
}
