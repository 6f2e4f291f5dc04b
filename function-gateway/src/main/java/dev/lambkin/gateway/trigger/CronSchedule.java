package dev.lambkin.gateway.trigger;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import dev.lambkin.api.v1alpha1.ScheduleSource;

/**
 * A Trigger's schedule as a sequence of instants: five-field cron expressions read in a time zone (as CronJobs),
 * the macros (@hourly…), and {@code @every <duration>} (instants at whole multiples of the duration since the
 * epoch, so every gateway replica computes the same ones). Plain Java.
 */
public final class CronSchedule {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private final ExecutionTime cron;
    private final ZoneId zone;
    private final long everyMillis;

    private CronSchedule(ExecutionTime cron, ZoneId zone, long everyMillis) {
        this.cron = cron;
        this.zone = zone;
        this.everyMillis = everyMillis;
    }

    /** Throws IllegalArgumentException (or DateTimeException for the zone) naming what is wrong. */
    public static CronSchedule parse(String expression, String timeZone) {
        ZoneId zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone);
        String e = expression.trim();
        long millis = ScheduleSource.everyMillis(e);
        if (millis >= 0) {
            if (millis < ScheduleSource.MIN_EVERY_MILLIS) {
                throw new IllegalArgumentException("@every needs at least 1s, not " + e);
            }
            return new CronSchedule(null, zone, millis);
        }
        return new CronSchedule(ExecutionTime.forCron(UNIX.parse(MACROS.getOrDefault(e, e)).validate()), zone, 0);
    }

    /** Most instants looked at in one search (a minutely cron over a day of catch-up is 1,440). */
    static final int MAX_STEPS = 100_000;

    /**
     * The latest scheduled instant in (after, atOrBefore], found by walking forward with {@link #nextAfter}: cron-utils'
     * backward search ignores fractions of a second (it would answer an instant still ahead) and repeats the hour
     * a daylight-saving change repeats, which the forward search does not.
     */
    public Optional<Instant> latestIn(Instant after, Instant atOrBefore) {
        if (everyMillis > 0) {
            Instant latest = Instant.ofEpochMilli(Math.floorDiv(atOrBefore.toEpochMilli(), everyMillis) * everyMillis);
            return latest.isAfter(after) ? Optional.of(latest) : Optional.empty();
        }
        Optional<Instant> latest = Optional.empty();
        Instant t = after;
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<Instant> next = nextAfter(t);
            if (next.isEmpty() || next.get().isAfter(atOrBefore)) {
                break;
            }
            latest = next;
            t = next.get();
        }
        return latest;
    }

    /** The first scheduled instant after t. */
    public Optional<Instant> nextAfter(Instant t) {
        if (everyMillis > 0) {
            return Optional.of(Instant.ofEpochMilli((Math.floorDiv(t.toEpochMilli(), everyMillis) + 1) * everyMillis));
        }
        java.time.ZonedDateTime from = t.atZone(zone);
        var next = cron.nextExecution(from);
        if (next.isPresent() && next.get().toLocalDateTime().equals(from.toLocalDateTime())) {
            // the hour a fall-back repeats shows the same wall-clock time again: as CronJobs, run it once
            next = cron.nextExecution(next.get());
        }
        return next.map(z -> z.toInstant());
    }
}
