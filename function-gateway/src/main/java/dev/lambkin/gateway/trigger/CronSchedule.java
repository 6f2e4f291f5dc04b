package dev.lambkin.gateway.trigger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

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
    private static final Pattern EVERY = Pattern.compile("@every (([0-9]+(\\.[0-9]+)?(ms|s|m|h))+)");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

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
        Matcher every = EVERY.matcher(e);
        if (every.matches()) {
            long millis = 0;
            Matcher part = PART.matcher(every.group(1));
            while (part.find()) {
                double n = Double.parseDouble(part.group(1));
                millis += (long) (n * switch (part.group(2)) {
                    case "ms" -> 1;
                    case "s" -> 1000;
                    case "m" -> 60_000;
                    default -> 3_600_000;
                });
            }
            if (millis < 1000) {
                throw new IllegalArgumentException("@every needs at least 1s, not " + every.group(1));
            }
            return new CronSchedule(null, zone, millis);
        }
        return new CronSchedule(ExecutionTime.forCron(UNIX.parse(MACROS.getOrDefault(e, e)).validate()), zone, 0);
    }

    /** The latest scheduled instant at or before t. */
    public Optional<Instant> latestAtOrBefore(Instant t) {
        if (everyMillis > 0) {
            return Optional.of(Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), everyMillis) * everyMillis));
        }
        // cron-utils answers the last execution strictly before its argument; cron is to the minute
        return cron.lastExecution(t.plusSeconds(1).atZone(zone)).map(z -> z.toInstant());
    }

    /** The first scheduled instant after t. */
    public Optional<Instant> nextAfter(Instant t) {
        if (everyMillis > 0) {
            return Optional.of(Instant.ofEpochMilli((Math.floorDiv(t.toEpochMilli(), everyMillis) + 1) * everyMillis));
        }
        return cron.nextExecution(t.atZone(zone)).map(z -> z.toInstant());
    }

    /** For messages: the interval of an @every schedule, or null for cron. */
    Duration every() {
        return everyMillis > 0 ? Duration.ofMillis(everyMillis) : null;
    }
}
