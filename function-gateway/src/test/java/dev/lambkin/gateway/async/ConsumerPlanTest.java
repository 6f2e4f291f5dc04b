package dev.lambkin.gateway.async;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.async.ConsumerPlan.Start;
import dev.lambkin.gateway.async.ConsumerPlan.Stop;
import dev.lambkin.gateway.async.ConsumerPlan.Why;
import dev.lambkin.gateway.route.FunctionKey;

class ConsumerPlanTest {
    static final FunctionKey A = new FunctionKey("team", "a"), B = new FunctionKey("team", "b"), C = new FunctionKey("team", "c");
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final long NOW = 1_000_000_000_000L, IDLE = MINUTE.toNanos();

    @Test
    void aFunctionWithoutEventsGetsNoConsumer() {
        assertEquals(List.of(), ConsumerPlan.changes(Set.of(), Set.of(A, B, C), Map.of(), NOW, MINUTE));
    }

    @Test
    void aFunctionWithEventsGetsOneOnce() {
        assertEquals(List.of(new Start(A)), ConsumerPlan.changes(Set.of(), Set.of(A, B), Map.of(A, NOW), NOW, MINUTE));
        assertEquals(List.of(), ConsumerPlan.changes(Set.of(A), Set.of(A, B), Map.of(A, NOW), NOW, MINUTE), "already running");
    }

    @Test
    void aConsumerIdleLongerThanTheThresholdIsLetGo() {
        assertEquals(List.of(), ConsumerPlan.changes(Set.of(A), Set.of(A), Map.of(A, NOW - IDLE), NOW, MINUTE), "at the threshold it stays");
        assertEquals(List.of(new Stop(A, Why.IDLE)), ConsumerPlan.changes(Set.of(A), Set.of(A), Map.of(A, NOW - IDLE - 1), NOW, MINUTE));
        assertEquals(List.of(new Stop(A, Why.IDLE)), ConsumerPlan.changes(Set.of(A), Set.of(A), Map.of(), NOW, MINUTE),
                "a consumer nothing was ever stored for");
        assertEquals(List.of(), ConsumerPlan.changes(Set.of(), Set.of(A), Map.of(A, NOW - IDLE - 1), NOW, MINUTE),
                "nor is an idle one started");
    }

    @Test
    void theConsumerOfADeletedFunctionStopsAndItsEventsStartNone() {
        assertEquals(List.of(new Stop(A, Why.DELETED)), ConsumerPlan.changes(Set.of(A), Set.of(B), Map.of(A, NOW), NOW, MINUTE));
        assertEquals(List.of(), ConsumerPlan.changes(Set.of(), Set.of(B), Map.of(A, NOW), NOW, MINUTE));
    }
}
