package dev.lambkin.gateway.async;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SystemFailuresTest {
    @Test
    void countsAnEventsFailuresInARowUntilItIsDoneWith() {
        SystemFailures f = new SystemFailures(100);
        assertEquals(1, f.record(7));
        assertEquals(2, f.record(7));
        assertEquals(1, f.record(8), "each event has its own count");
        f.forget(7);
        assertEquals(1, f.record(7), "a fresh count once it was done with");
    }

    @Test
    void isBoundedAndForgetsTheLeastRecentlyFailed() {
        SystemFailures f = new SystemFailures(2);
        f.record(1);
        f.record(2);
        f.record(1); // 1 is the most recent now
        f.record(3); // 2 goes
        assertEquals(2, f.size());
        assertEquals(3, f.record(1));
        assertEquals(1, f.record(2), "forgotten: its backoff starts again");
    }
}
