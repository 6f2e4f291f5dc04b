package dev.lambkin.gateway.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** When a schedule fires: each scheduled instant once, the latest missed one after downtime, never a storm. */
class ScheduleDecisionTest {
    static final Duration HOUR = Duration.ofHours(1);

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void cronInATimeZone() {
        CronSchedule nine = CronSchedule.parse("0 9 * * MON-FRI", "Europe/Berlin");
        // Tuesday 1 December 2026, 09:00 in Berlin is 08:00 UTC
        assertEquals(t("2026-12-01T08:00:00Z"), nine.nextAfter(t("2026-12-01T07:30:00Z")).orElseThrow());
        Instant dayBefore = t("2026-11-30T00:00:00Z");
        assertEquals(t("2026-12-01T08:00:00Z"), nine.latestIn(dayBefore, t("2026-12-01T08:00:00Z")).orElseThrow(), "at the instant itself");
        assertEquals(t("2026-11-30T08:00:00Z"), nine.latestIn(dayBefore, t("2026-12-01T07:59:59.600Z")).orElseThrow(),
                "a fraction of a second before the instant is before it");
        assertEquals(t("2026-12-01T10:00:00Z"), CronSchedule.parse("@hourly", null).nextAfter(t("2026-12-01T09:00:00Z")).orElseThrow());
    }

    @Test
    void everyIsAlignedToTheEpochSoEveryReplicaAgrees() {
        CronSchedule every = CronSchedule.parse("@every 1m30s", null);
        assertEquals(t("2026-12-01T10:01:30Z"), every.latestIn(t("2026-12-01T10:00:00Z"), t("2026-12-01T10:02:00Z")).orElseThrow());
        assertEquals(t("2026-12-01T10:03:00Z"), every.nextAfter(t("2026-12-01T10:02:00Z")).orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("@every 10ms", null));
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("61 * * * *", null));
    }

    @Test
    void theHourThatDaylightSavingRepeatsFiresOnce() {
        // 1 November 2026: New York falls back from 02:00 EDT to 01:00 EST; 01:30 happens twice on the clock
        CronSchedule s = CronSchedule.parse("30 1 * * *", "America/New_York");
        var first = ScheduleDecision.decide(s, t("2026-11-01T04:00:00Z"), t("2026-11-01T05:30:10Z"), HOUR);
        assertEquals(t("2026-11-01T05:30:00Z"), ((ScheduleDecision.Fire) first).scheduled());
        assertEquals(ScheduleDecision.Wait.class,
                ScheduleDecision.decide(s, t("2026-11-01T05:30:00Z"), t("2026-11-01T06:30:10Z"), HOUR).getClass(),
                "not again an hour later");
    }

    @Test
    void firesEachInstantOnceAndWaitsInBetween() {
        CronSchedule s = CronSchedule.parse("*/5 * * * *", null);
        assertEquals(ScheduleDecision.Wait.class, ScheduleDecision.decide(s, t("2026-12-01T10:00:00Z"),
                t("2026-12-01T10:04:59.600Z"), HOUR).getClass(), "never early");
        Instant created = t("2026-12-01T10:02:00Z");
        assertEquals(new ScheduleDecision.Wait(t("2026-12-01T10:05:00Z")),
                ScheduleDecision.decide(s, created, t("2026-12-01T10:04:59Z"), HOUR), "nothing before the Trigger existed");
        var fire = ScheduleDecision.decide(s, created, t("2026-12-01T10:05:00.400Z"), HOUR);
        assertEquals(new ScheduleDecision.Fire(t("2026-12-01T10:05:00Z"), t("2026-12-01T10:10:00Z")), fire);
        assertEquals(new ScheduleDecision.Wait(t("2026-12-01T10:10:00Z")),
                ScheduleDecision.decide(s, t("2026-12-01T10:05:00Z"), t("2026-12-01T10:05:01Z"), HOUR), "fired already");
    }

    @Test
    void afterDowntimeOnlyTheLatestMissedInstantFiresAndOnlyIfRecent() {
        CronSchedule s = CronSchedule.parse("*/5 * * * *", null);
        Instant lastFired = t("2026-12-01T10:05:00Z");
        // down from 10:06 to 10:32: 10:10 … 10:30 were missed; only 10:30 fires
        assertEquals(new ScheduleDecision.Fire(t("2026-12-01T10:30:00Z"), t("2026-12-01T10:35:00Z")),
                ScheduleDecision.decide(s, lastFired, t("2026-12-01T10:32:00Z"), HOUR));
        assertEquals(new ScheduleDecision.Wait(t("2026-12-01T10:35:00Z")),
                ScheduleDecision.decide(s, t("2026-12-01T10:30:00Z"), t("2026-12-01T10:32:01Z"), HOUR), "then no storm");
        // down past the catch-up window: the missed instant is too old, the next one is awaited
        assertEquals(new ScheduleDecision.Wait(t("2026-12-01T12:35:00Z")),
                ScheduleDecision.decide(s, lastFired, t("2026-12-01T12:34:00Z"), Duration.ofMinutes(2)));
    }
}
