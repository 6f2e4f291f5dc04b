package dev.lambkin.gateway.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class RetiredPodsTest {
    static final long SETTLE = 2_000;

    @Test
    void anIdleRetiredPodIsDeletedOnceItsMarkHasSettled() {
        var pods = List.of(new RetiredPods.Pod("old", false, 0), new RetiredPods.Pod("new", false, 9_000));
        assertEquals(List.of("old"), RetiredPods.toDelete(pods, true, 10_000, SETTLE));
    }

    @Test
    void aRetiredPodStillRunningACallSomewhereIsLeftToTheGatewayRunningIt() {
        var pods = List.of(new RetiredPods.Pod("busy", true, 0));
        assertEquals(List.of(), RetiredPods.toDelete(pods, true, 10_000, SETTLE));
    }

    @Test
    void nothingIsDeletedWhileAReplicaIsNotHeardFrom() {
        var pods = List.of(new RetiredPods.Pod("old", false, 0));
        assertEquals(List.of(), RetiredPods.toDelete(pods, false, 10_000, SETTLE));
    }
}
