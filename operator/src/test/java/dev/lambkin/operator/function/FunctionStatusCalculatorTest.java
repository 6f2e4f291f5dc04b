package dev.lambkin.operator.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionStatus;
import dev.lambkin.operator.status.Conditions;
import dev.lambkin.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;

class FunctionStatusCalculatorTest {
    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    static final String URL = "http://gw/functions/team-a/hello";

    static Deployment deployment(int replicas, int ready) {
        return Fixtures.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: hello, namespace: team-a}
                spec: {replicas: %d}
                status: {readyReplicas: %d}
                """.formatted(replicas, ready), Deployment.class);
    }

    static Pod waitingPod(String reason, String message) {
        return Fixtures.parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hello-abc, namespace: team-a}
                status:
                  containerStatuses:
                    - name: function
                      image: x
                      imageID: ""
                      ready: false
                      restartCount: 3
                      state: {waiting: {reason: %s, message: "%s"}}
                      lastState: {terminated: {exitCode: 2, reason: Error}}
                """.formatted(reason, message), Pod.class);
    }

    static FunctionStatus compute(Function fn, Optional<Deployment> d, List<Pod> pods, Optional<String> missingQueue) {
        return FunctionStatusCalculator.compute(new FunctionStatusCalculator.Observed(fn, d, pods, missingQueue, Optional.empty(), URL), T0);
    }

    static Condition ready(FunctionStatus s) {
        return Conditions.find(s.conditions, Conditions.READY).orElseThrow();
    }

    @Test
    void atZeroInstancesTheFunctionIsReady() {
        FunctionStatus s = compute(Fixtures.function("image: x"), Optional.of(deployment(0, 0)), List.of(), Optional.empty());
        assertEquals("True", ready(s).getStatus());
        assertEquals("ScaledToZero", ready(s).getReason());
        assertEquals(0, s.replicas);
        assertEquals(4L, s.observedGeneration);
        assertEquals(4L, ready(s).getObservedGeneration());
        assertEquals(URL, s.url);
        assertEquals(List.of("Ready", "DeploymentReady", "InstancesHealthy", "ReferencesResolved", "ConcurrencyReserved"),
                s.conditions.stream().map(Condition::getType).toList());
    }

    @Test
    void warmFunctionIsReadyOnceAnInstanceIs() {
        Function fn = Fixtures.function("{image: x, scaling: {minInstances: 2}}");
        assertEquals("InstancesStarting", ready(compute(fn, Optional.of(deployment(2, 0)), List.of(), Optional.empty())).getReason());
        FunctionStatus s = compute(fn, Optional.of(deployment(2, 1)), List.of(), Optional.empty());
        assertEquals("True", ready(s).getStatus());
        assertEquals("1 of 2 instances ready", ready(s).getMessage());
        assertEquals("False", Conditions.find(s.conditions, "DeploymentReady").orElseThrow().getStatus());
    }

    @Test
    void imagePullErrorsAndCrashLoopsMakeItNotReadyWithTheContainersMessage() {
        Function fn = Fixtures.function("image: x");
        FunctionStatus pull = compute(fn, Optional.of(deployment(1, 0)),
                List.of(waitingPod("ImagePullBackOff", "Back-off pulling image x")), Optional.empty());
        assertEquals("False", ready(pull).getStatus());
        assertEquals("ImagePullBackOff", ready(pull).getReason());
        assertTrue(ready(pull).getMessage().contains("pod hello-abc: Back-off pulling image x"), ready(pull).getMessage());
        FunctionStatus crash = compute(fn, Optional.of(deployment(1, 0)),
                List.of(waitingPod("CrashLoopBackOff", "back-off 10s")), Optional.empty());
        assertEquals("CrashLoopBackOff", ready(crash).getReason());
        assertTrue(ready(crash).getMessage().endsWith("last exit code 2 (Error)"), ready(crash).getMessage());
        assertEquals("False", Conditions.find(crash.conditions, "InstancesHealthy").orElseThrow().getStatus());
    }

    @Test
    void unschedulablePodsAreAStartFailure() {
        Pod pod = Fixtures.parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hello-abc, namespace: team-a}
                status:
                  conditions: [{type: PodScheduled, status: "False", reason: Unschedulable, message: "0/1 nodes are available: 1 Insufficient memory."}]
                """, Pod.class);
        FunctionStatus s = compute(Fixtures.function("image: x"), Optional.of(deployment(1, 0)), List.of(pod), Optional.empty());
        assertEquals("Unschedulable", ready(s).getReason());
        assertTrue(ready(s).getMessage().contains("Insufficient memory"));
    }

    @Test
    void aMissingDeadLetterQueueIsNamed() {
        FunctionStatus s = compute(Fixtures.function("{image: x, async: {deadLetterQueue: dlq}}"),
                Optional.of(deployment(0, 0)), List.of(), Optional.of("dlq"));
        assertEquals("DeadLetterQueueNotFound", ready(s).getReason());
        assertTrue(Conditions.find(s.conditions, "ReferencesResolved").orElseThrow().getMessage().contains("dlq"));
    }

    @Test
    void anUnchangedWorldGivesAnEqualStatusSoNothingIsPatched() {
        Function fn = Fixtures.function("image: x");
        FunctionStatus first = compute(fn, Optional.of(deployment(0, 0)), List.of(), Optional.empty());
        fn.setStatus(first);
        FunctionStatus again = FunctionStatusCalculator.compute(new FunctionStatusCalculator.Observed(fn,
                Optional.of(deployment(0, 0)), List.of(), Optional.empty(), Optional.empty(), URL), T0.plusSeconds(60));
        assertTrue(StatusPatch.same(first, again), "no patch when nothing changed");
        fn.setStatus(again);
        FunctionStatus scaled = FunctionStatusCalculator.compute(new FunctionStatusCalculator.Observed(fn,
                Optional.of(deployment(1, 1)), List.of(), Optional.empty(), Optional.empty(), URL), T0.plusSeconds(120));
        assertEquals(T0.plusSeconds(120).toString(), scaled.lastScaleTime);
        assertEquals(ready(first).getLastTransitionTime(), ready(scaled).getLastTransitionTime(),
                "Ready stayed True: its transition time stays");
        assertTrue(!StatusPatch.same(again, scaled));
    }

    @Test
    void noDeploymentYetMeansReconciling() {
        FunctionStatus s = compute(Fixtures.function("image: x"), Optional.empty(), List.of(), Optional.empty());
        assertEquals("Reconciling", ready(s).getReason());
    }
}
