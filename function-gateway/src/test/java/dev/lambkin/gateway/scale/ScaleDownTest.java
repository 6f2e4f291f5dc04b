package dev.lambkin.gateway.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.scale.ScaleDown.Pod;

/** Scale-down removes only idle pods, and only once every gateway has stopped routing to them. */
class ScaleDownTest {
    static Pod idle(String name) {
        return new Pod(name, true, false, false, false);
    }

    static Pod busy(String name) {
        return new Pod(name, true, false, true, false);
    }

    static Pod marked(String name, boolean busy, boolean settled) {
        return new Pod(name, true, true, busy, settled);
    }

    @Test
    void firstMarksAnIdlePodNeverABusyOne() {
        var step = ScaleDown.plan(3, 2, List.of(busy("a"), idle("b"), busy("c")));
        assertEquals(new ScaleDown.Mark(List.of("b")), step);
        assertInstanceOf(ScaleDown.Wait.class, ScaleDown.plan(2, 1, List.of(busy("a"), busy("b"))));
    }

    @Test
    void unreadyPodsAreMarkedFirstBecauseTheReplicaSetRemovesThemFirst() {
        var step = ScaleDown.plan(3, 2, List.of(idle("a"), new Pod("b", false, false, false, false), idle("c")));
        assertEquals(new ScaleDown.Mark(List.of("b")), step);
        // an unready pod left unmarked would be the ReplicaSet's victim instead of the marked one
        assertInstanceOf(ScaleDown.Wait.class, ScaleDown.plan(3, 2, List.of(marked("a", false, true),
                new Pod("b", false, false, true, false), idle("c"))));
    }

    @Test
    void lowersReplicasOnlyWhenTheMarkedPodsAreIdleEverywhereAndTheMarkHasReachedEveryGateway() {
        assertInstanceOf(ScaleDown.Wait.class, ScaleDown.plan(3, 2, List.of(marked("a", false, false), idle("b"), idle("c"))));
        assertInstanceOf(ScaleDown.Wait.class, ScaleDown.plan(3, 2, List.of(marked("a", true, true), idle("b"), idle("c"))));
        assertEquals(new ScaleDown.Scale(2), ScaleDown.plan(3, 2, List.of(marked("a", false, true), idle("b"), idle("c"))));
    }

    @Test
    void toZeroMarksEveryPodThenScales() {
        assertEquals(new ScaleDown.Mark(List.of("a", "b")), ScaleDown.plan(2, 0, List.of(idle("a"), idle("b"))));
        assertEquals(new ScaleDown.Scale(0), ScaleDown.plan(2, 0, List.of(marked("a", false, true), marked("b", false, true))));
    }

    @Test
    void workThatComesBackTakesTheMarksBack() {
        assertEquals(new ScaleDown.Unmark(List.of("a")), ScaleDown.plan(2, 2, List.of(marked("a", false, true), idle("b"))));
        // fewer to remove than marked: the busy one goes back first
        assertEquals(new ScaleDown.Unmark(List.of("b")), ScaleDown.plan(3, 2,
                List.of(marked("a", false, true), marked("b", true, true), idle("c"))));
    }

    @Test
    void waitsWhileThePodsDoNotMatchTheReplicas() {
        // a pod being replaced: the ReplicaSet would not remove the marked one
        assertInstanceOf(ScaleDown.Wait.class, ScaleDown.plan(3, 2, List.of(marked("a", false, true), idle("b"))));
    }
}
