package dev.lambkin.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** How a crashed call names the way the process ended, from the pod's container status, in Lambda's words. */
class ExitDescriptionTest {
    static Pod restarted(int restarts, int exitCode, String reason) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().addNewContainerStatus()
                .withName("function").withRestartCount(restarts).withNewLastState().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).endTerminated().endLastState().endContainerStatus().endStatus().build();
    }

    @Test
    void aRestartAfterTheCallStartedTellsTheExitCode() {
        assertEquals(Optional.of("Runtime exited with error: exit status 3"), Instances.exitDescription(restarted(1, 3, "Error"), 0));
        assertEquals(Optional.of("Runtime exited with error: signal: killed (out of memory)"),
                Instances.exitDescription(restarted(2, 137, "OOMKilled"), 1));
    }

    @Test
    void anOldRestartIsNotThisCallsCrash() {
        assertEquals(Optional.empty(), Instances.exitDescription(restarted(1, 3, "Error"), 1));
    }

    @Test
    void signalsAreNamed() {
        assertEquals("signal: killed", Instances.exitStatus(137, "Error"));
        assertEquals("signal: terminated", Instances.exitStatus(143, "Error"));
        assertEquals("exit status 124", Instances.exitStatus(124, "Error"));
    }
}
