package dev.lambkin.gateway.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.scale.Autoscaler.Load;

class AutoscalerTest {
    static int desired(int inFlight, int held, int perInstance, int min, Integer max, int current, long idleMillis) {
        return Autoscaler.desired(new Load(inFlight, held, perInstance, min, max, current, idleMillis, 60));
    }

    @Test
    void aHeldRequestAtZeroAsksForOneInstance() {
        assertEquals(1, desired(0, 1, 1, 0, null, 0, 0));
    }

    @Test
    void scalesUpAtOnceToCoverTheWork() {
        assertEquals(10, desired(7, 3, 1, 0, null, 1, 0));
        assertEquals(3, desired(7, 3, 4, 0, null, 1, 0), "ceil(10 / 4)");
    }

    @Test
    void staysWithinMinAndMax() {
        assertEquals(5, desired(40, 0, 1, 0, 5, 2, 0));
        assertEquals(2, desired(0, 0, 1, 2, null, 2, 3_600_000));
        assertEquals(2, desired(0, 0, 1, 2, null, 0, 0), "warm instances even without work");
    }

    @Test
    void scalesDownOneAtATimeWhileThereIsLessWork() {
        assertEquals(4, desired(1, 0, 1, 0, null, 5, 0));
        assertEquals(3, desired(1, 0, 1, 0, null, 4, 0));
    }

    @Test
    void scalesToZeroOnlyAfterIdleSeconds() {
        assertEquals(3, desired(0, 0, 1, 0, null, 3, 59_999));
        assertEquals(0, desired(0, 0, 1, 0, null, 3, 60_000));
        assertEquals(1, desired(0, 0, 1, 1, null, 3, 60_000), "never below minInstances");
    }
}
