package dev.lambkin.gateway.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InvocationReportTest {
    @Test
    void aColdStartReportsEverythingLambdaDoes() {
        var r = new InvocationReport.Report("req-1", "team/hello", 12.341, 256, 52L * 1024 * 1024, 830.0, "Success");
        assertEquals("REPORT RequestId: req-1 Function: team/hello Duration: 12.34 ms Billed Duration: 13 ms "
                + "Memory Size: 256 MB Max Memory Used: 52 MB Init Duration: 830.00 ms Outcome: Success Cold Start: true",
                r.line());
    }

    @Test
    void aWarmCallWithoutMemorySettingsLeavesThemOut() {
        var r = new InvocationReport.Report("req-2", "team/hello", 3.0, 0, null, null, "Error:Unhandled");
        assertEquals("REPORT RequestId: req-2 Function: team/hello Duration: 3.00 ms Billed Duration: 3 ms "
                + "Outcome: Error:Unhandled Cold Start: false", r.line());
    }
}
