package dev.lambkin.gateway.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The events stream never deletes an event the gateway still means to try, dead-letter or drop with a word. */
class EventStreamAgeTest {
    @Test
    void outlivesTheLongestEventAgePlusBackoffWhateverIsConfigured() {
        Duration age = EventQueue.streamMaxAge(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
        assertTrue(age.compareTo(Duration.ofHours(6).plusMinutes(10)) > 0, age.toString());
        assertEquals(Duration.ofHours(9), EventQueue.streamMaxAge(Duration.ofHours(9), Duration.ofMinutes(5),
                Duration.ofSeconds(30), Duration.ofSeconds(30)), "a longer setting is kept");
    }
}
