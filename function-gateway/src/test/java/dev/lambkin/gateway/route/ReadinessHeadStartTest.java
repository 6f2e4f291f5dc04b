package dev.lambkin.gateway.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

/** The gateway's early port check stands in for the kubelet's only where readiness is that same port check. */
class ReadinessHeadStartTest {
    static Pod with(Probe probe) {
        return new PodBuilder().withNewSpec().addNewContainer().withName("function").withReadinessProbe(probe).endContainer()
                .endSpec().build();
    }

    @Test
    void aTcpProbeOrNoneIsThePortAnswering() {
        assertTrue(Instances.portIsReadiness(with(null)));
        assertTrue(Instances.portIsReadiness(with(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(8080))
                .endTcpSocket().build())));
    }

    @Test
    void aProbeOfTheFunctionsOwnIsTheKubeletsToJudge() {
        assertFalse(Instances.portIsReadiness(with(new ProbeBuilder().withNewHttpGet().withPath("/ready")
                .withPort(new IntOrString(8080)).endHttpGet().build())));
        assertFalse(Instances.portIsReadiness(with(new ProbeBuilder().withNewExec().withCommand("true").endExec().build())));
    }
}
