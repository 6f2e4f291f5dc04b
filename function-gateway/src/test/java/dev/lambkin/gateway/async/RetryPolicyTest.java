package dev.lambkin.gateway.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.async.RetryPolicy.DeadLetter;
import dev.lambkin.gateway.async.RetryPolicy.Failure;
import dev.lambkin.gateway.async.RetryPolicy.Retry;

class RetryPolicyTest {
    static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    final RetryPolicy lambda = new RetryPolicy(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)), Duration.ofSeconds(1),
            Duration.ofMinutes(5));

    @Test
    void functionErrorsAreRetriedMaxRetriesTimesOnTheSchedule() {
        assertEquals(new Retry(Duration.ofMinutes(1), true), lambda.after(Failure.FUNCTION_ERROR, 1, 1, 2, T0, 21600, T0));
        assertEquals(new Retry(Duration.ofMinutes(2), true),
                lambda.after(Failure.FUNCTION_ERROR, 2, 1, 2, T0, 21600, T0.plusSeconds(61)));
        assertEquals(new DeadLetter("RetriesExhausted"), lambda.after(Failure.FUNCTION_ERROR, 3, 1, 2, T0, 21600, T0.plusSeconds(200)));
        assertEquals(new DeadLetter("RetriesExhausted"), lambda.after(Failure.FUNCTION_ERROR, 1, 1, 0, T0, 21600, T0),
                "maxRetries 0: the first failure is final");
    }

    @Test
    void aRetryThatWouldLandPastTheEventsMaxAgeIsNotScheduled() {
        assertEquals(new DeadLetter("EventAgeExceeded"),
                lambda.after(Failure.FUNCTION_ERROR, 1, 1, 2, T0, 60, T0.plusSeconds(30)));
    }

    @Test
    void throttlesAndSystemErrorsBackOffWithoutUsingRetriesUntilTheEventIsTooOld() {
        assertEquals(new Retry(Duration.ofSeconds(1), false), lambda.after(Failure.THROTTLED, 0, 1, 0, T0, 21600, T0));
        assertEquals(new Retry(Duration.ofSeconds(8), false), lambda.after(Failure.SYSTEM_ERROR, 0, 4, 0, T0, 21600, T0));
        assertEquals(new Retry(Duration.ofMinutes(5), false), lambda.after(Failure.SYSTEM_ERROR, 0, 40, 0, T0, 21600, T0),
                "capped, and no overflow on many deliveries");
        assertEquals(new Retry(Duration.ofSeconds(10), false),
                lambda.after(Failure.SYSTEM_ERROR, 0, 20, 0, T0, 60, T0.plusSeconds(50)), "never past the event's end");
        assertEquals(new DeadLetter("EventAgeExceeded"), lambda.after(Failure.THROTTLED, 0, 9, 0, T0, 60, T0.plusSeconds(60)));
    }

    @Test
    void expiryAndSettingsAreChecked() {
        assertEquals(false, RetryPolicy.expired(T0, 60, T0.plusSeconds(59)));
        assertEquals(true, RetryPolicy.expired(T0, 60, T0.plusSeconds(60)));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(List.of(Duration.ofSeconds(1)), Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }
}
