package dev.lambkin.gateway.async;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SystemFailuresTest {
    @Test
    void countsAnEventsFailuresInARowUntilItIsDoneWith() {
        SystemFailures f = new SystemFailures(100);
        assertEquals(1, f.record("e7"));
        assertEquals(2, f.record("e7"));
        assertEquals(1, f.record("e8"), "each event has its own count");
        f.forget("e7");
        assertEquals(1, f.record("e7"), "a fresh count once it was done with");
    }

    @Test
    void isBoundedAndForgetsTheLeastRecentlyFailed() {
        SystemFailures f = new SystemFailures(2);
        f.record("e1");
        f.record("e2");
        f.record("e1"); // 1 is the most recent now
        f.record("e3"); // 2 goes
        assertEquals(2, f.size());
        assertEquals(3, f.record("e1"));
        assertEquals(1, f.record("e2"), "forgotten: its backoff starts again");
    }
}
