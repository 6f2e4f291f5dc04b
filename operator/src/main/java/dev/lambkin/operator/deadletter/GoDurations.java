package dev.lambkin.operator.deadletter;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API's duration strings (Go's units: 90m, 336h, 1h30m, 1.5h, 500ms) and ages written the way kubectl does. */
public final class GoDurations {
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    private GoDurations() {
    }

    /** The CRD's pattern has already checked the text; anything else is a programming error. */
    public static Duration parse(String text) {
        Matcher m = PART.matcher(text);
        long millis = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long unit = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            millis += new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValue();
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("not a duration such as 90m or 336h: " + text);
        }
        return Duration.ofMillis(millis);
    }

    /** 45s, 12m30s, 3h12m, 5d3h: the two largest units, as kubectl prints ages. */
    public static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return two(s / 60, "m", s % 60, "s");
        }
        if (s < 86400) {
            return two(s / 3600, "h", s % 3600 / 60, "m");
        }
        return two(s / 86400, "d", s % 86400 / 3600, "h");
    }

    private static String two(long a, String ua, long b, String ub) {
        return b == 0 ? a + ua : a + ua + b + ub;
    }
}
