package dev.lambkin.operator.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.ScheduleSource;
import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.operator.status.Conditions;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

class TriggerStatusTest {
    static ScheduleSource schedule(String cron, String zone) {
        ScheduleSource s = new ScheduleSource();
        s.cron = cron;
        s.timeZone = zone;
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/5 * * * *", "0 9 * * MON-FRI", "15 2 1,15 * *", "@hourly", "@every 90s", "0 0 * JAN,JUL 0"})
    void validSchedules(String cron) {
        assertTrue(ScheduleValidator.problem(schedule(cron, "Europe/Berlin")).isEmpty(), cron);
    }

    @ParameterizedTest
    @ValueSource(strings = {"75 * * * *", "* 24 * * *", "* * 32 * *", "* * * 13 *", "@every 0s", "@every 500ms"})
    void outOfRangeSchedules(String cron) {
        assertTrue(ScheduleValidator.problem(schedule(cron, null)).isPresent(), cron);
    }

    @Test
    void unknownTimeZone() {
        assertEquals("schedule.timeZone 'Mars/Olympus' is not a known time zone",
                ScheduleValidator.problem(schedule("@daily", "Mars/Olympus")).orElseThrow());
    }

    @Test
    void readyNeedsTheFunctionAndAValidSource() {
        Trigger t = new KubernetesSerialization().unmarshal("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Trigger
                metadata: {name: t, namespace: ns, generation: 2}
                spec: {function: hello, schedule: {cron: "75 * * * *"}}
                """, Trigger.class);
        Instant now = Instant.parse("2026-11-29T10:00:00Z");
        var missing = TriggerStatusCalculator.compute(t, false, now);
        assertEquals("FunctionNotFound", Conditions.find(missing.conditions, "Ready").orElseThrow().getReason());
        var invalid = TriggerStatusCalculator.compute(t, true, now);
        assertEquals("InvalidSchedule", Conditions.find(invalid.conditions, "Ready").orElseThrow().getReason());
        assertEquals(2L, invalid.observedGeneration);
        t.getSpec().schedule.cron = "*/5 * * * *";
        var waiting = TriggerStatusCalculator.compute(t, true, now);
        assertEquals("NotArmed", Conditions.find(waiting.conditions, "Ready").orElseThrow().getReason(),
                "valid is not enough: Ready means the gateway armed it");
        assertTrue(Conditions.isTrue(waiting.conditions, TriggerStatusCalculator.FUNCTION_RESOLVED));
        t.setStatus(new dev.lambkin.api.v1alpha1.TriggerStatus());
        t.getStatus().source = new dev.lambkin.api.v1alpha1.SourceStatus();
        t.getStatus().source.armed = true;
        t.getStatus().source.message = "next fire at 10:05";
        t.getStatus().source.observedGeneration = 1L;
        assertEquals("NotArmed", Conditions.find(TriggerStatusCalculator.compute(t, true, now).conditions, "Ready").orElseThrow()
                .getReason(), "armed for an older generation");
        t.getStatus().source.observedGeneration = 2L;
        var armed = TriggerStatusCalculator.compute(t, true, now);
        assertTrue(Conditions.isTrue(armed.conditions, "Ready"));
        assertEquals("Armed", Conditions.find(armed.conditions, "Ready").orElseThrow().getReason());
        t.getStatus().source.armed = false;
        t.getStatus().source.reason = "RouteConflict";
        t.getStatus().source.message = "path /x is taken";
        assertEquals("RouteConflict", Conditions.find(TriggerStatusCalculator.compute(t, true, now).conditions, "Ready")
                .orElseThrow().getReason(), "the gateway's reason when it refuses");
        assertEquals(null, TriggerStatusCalculator.compute(t, true, now).source, "the gateway's part is never applied");
    }
}
