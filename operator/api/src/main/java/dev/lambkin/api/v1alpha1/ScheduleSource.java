package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A cron schedule, in the syntax of Kubernetes CronJobs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleSource {
    /**
     * Five fields (minute hour day-of-month month day-of-week) of numbers, names, ranges, steps, lists, '*' or
     * '?', or one of the macros. The API server checks the shape; the operator checks ranges and reports an
     * invalid schedule on the Trigger's Ready condition.
     */
    public static final String CRON_PATTERN = "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)"
            + "|@every ([0-9]+(\\.[0-9]+)?(ms|s|m|h))+"
            + "|((\\*|\\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?(,(\\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?)*)"
            + "( ((\\*|\\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?(,(\\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?)*)){4})$";

    /** The shortest interval @every may name: a gateway looks at schedules once a second. */
    public static final long MIN_EVERY_MILLIS = 1000;
    private static final java.util.regex.Pattern EVERY = java.util.regex.Pattern.compile("@every (([0-9]+(\\.[0-9]+)?(ms|s|m|h))+)");
    private static final java.util.regex.Pattern EVERY_PART = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    /** The interval of an {@code @every <duration>} expression in milliseconds, or -1 when it is not one. */
    public static long everyMillis(String cron) {
        var every = EVERY.matcher(cron == null ? "" : cron.trim());
        if (!every.matches()) {
            return -1;
        }
        long millis = 0;
        var part = EVERY_PART.matcher(every.group(1));
        while (part.find()) {
            double n = Double.parseDouble(part.group(1));
            millis += (long) (n * switch (part.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                default -> 3_600_000;
            });
        }
        return millis;
    }

    @Required
    @Size(min = 1, max = 128)
    @Pattern(CRON_PATTERN)
    @JsonPropertyDescription("Cron expression: five fields 'minute hour day-of-month month day-of-week' (e.g. '*/5 * * * *'), or @hourly, @daily, @weekly, @monthly, @yearly, @every 10m.")
    public String cron;

    @Size(max = 64)
    @Pattern("^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*$")
    @JsonPropertyDescription("IANA time zone the schedule is read in, e.g. Europe/Berlin. Default UTC.")
    public String timeZone;

    @PreserveUnknownFields
    @JsonPropertyDescription("JSON event sent to the function at every firing. Default: {} with the schedule's time.")
    public JsonNode payload;
}
