package dev.lambkin.operator.trigger;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Pattern;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

import dev.lambkin.api.v1alpha1.ScheduleSource;

/**
 * Checks what the CRD's pattern cannot: that a cron expression's fields are in range (minute 75 has the right
 * shape) and that the time zone exists. Macros (@hourly…) and @every durations are accepted as CronJobs do.
 */
public final class ScheduleValidator {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Pattern MACRO = Pattern.compile("@(yearly|annually|monthly|weekly|daily|midnight|hourly)");

    private ScheduleValidator() {
    }

    /** Why the schedule is invalid, or empty when it is valid. */
    public static Optional<String> problem(ScheduleSource schedule) {
        String cron = schedule.cron == null ? "" : schedule.cron.trim();
        if (!MACRO.matcher(cron).matches()) {
            long every = ScheduleSource.everyMillis(cron);
            if (every >= 0) {
                if (every < ScheduleSource.MIN_EVERY_MILLIS) {
                    return Optional.of("schedule.cron: @every needs at least 1s (the gateway looks at schedules once a second)");
                }
            } else {
                try {
                    UNIX.parse(cron).validate();
                } catch (IllegalArgumentException e) {
                    return Optional.of("schedule.cron '" + cron + "' is not a valid cron expression: " + e.getMessage());
                }
            }
        }
        if (schedule.timeZone != null) {
            try {
                ZoneId.of(schedule.timeZone);
            } catch (DateTimeException e) {
                return Optional.of("schedule.timeZone '" + schedule.timeZone + "' is not a known time zone");
            }
        }
        return Optional.empty();
    }
}
