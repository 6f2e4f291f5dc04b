package dev.lambkin.gateway.record;

import org.jboss.logging.Logger;

/**
 * The REPORT record Lambda users know, one per invocation, as one log line:
 * {@code REPORT RequestId: … Function: ns/name Duration: 12.34 ms Billed Duration: 13 ms Memory Size: 256 MB
 * Max Memory Used: 52 MB Init Duration: 830.00 ms Outcome: Success Cold Start: true}.
 */
public final class InvocationReport {
    private static final Logger LOG = Logger.getLogger("REPORT");

    private InvocationReport() {
    }

    public record Report(String requestId, String function, double durationMs, long memorySizeMb,
            Long maxMemoryUsedBytes, Double initDurationMs, String outcome) {
        public long billedMs() {
            return (long) Math.ceil(durationMs);
        }

        public String line() {
            StringBuilder b = new StringBuilder("REPORT RequestId: ").append(requestId)
                    .append(" Function: ").append(function)
                    .append(" Duration: ");
            twoDecimals(b, durationMs).append(" ms Billed Duration: ").append(billedMs()).append(" ms");
            if (memorySizeMb > 0) {
                b.append(" Memory Size: ").append(memorySizeMb).append(" MB");
            }
            if (maxMemoryUsedBytes != null) {
                b.append(" Max Memory Used: ").append(maxMemoryUsedBytes / (1024 * 1024)).append(" MB");
            }
            if (initDurationMs != null) {
                twoDecimals(b.append(" Init Duration: "), initDurationMs).append(" ms");
            }
            return b.append(" Outcome: ").append(outcome).append(" Cold Start: ").append(initDurationMs != null).toString();
        }
    }

    /** 12.34: what %.2f prints, without parsing a format string on every invocation. */
    static StringBuilder twoDecimals(StringBuilder b, double v) {
        long hundredths = Math.round(v * 100);
        if (hundredths < 0) {
            b.append('-');
            hundredths = -hundredths;
        }
        long frac = hundredths % 100;
        return b.append(hundredths / 100).append('.').append(frac < 10 ? "0" : "").append(frac);
    }

    public static void log(Report report) {
        LOG.info(report.line());
    }
}
