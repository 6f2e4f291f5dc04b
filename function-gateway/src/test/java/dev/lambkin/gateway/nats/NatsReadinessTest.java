package dev.lambkin.gateway.nats;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class NatsReadinessTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aStartingGatewayWaitsForItsFirstConnection() {
        assertFalse(NatsReadiness.ready(false, Duration.ofSeconds(3), WAIT));
        assertTrue(NatsReadiness.ready(true, Duration.ofSeconds(3), WAIT));
    }

    @Test
    void butNotForEverAndNeverAgainOnceConnected() {
        assertTrue(NatsReadiness.ready(false, WAIT, WAIT), "NATS down at start: ready after the wait, for synchronous calls");
        assertTrue(NatsReadiness.ready(true, Duration.ofHours(1), WAIT), "an outage after the first connection");
    }
}
