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
        // walk from the last instant fired (so an hour that daylight saving repeats is recognised as a repeat), but
        // not from further back than a day before the catch-up window: older instants can never fire anyway
        Instant horizon = now.minus(catchUp).minus(Duration.ofHours(25));
        Instant from = since.isAfter(horizon) ? since : horizon;
        return schedule.latestIn(from, now).filter(latest -> !latest.isBefore(now.minus(catchUp)))
                .<Step>map(latest -> new Fire(latest, next)).orElseGet(() -> new Wait(next));
    }
}
