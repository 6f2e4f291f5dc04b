package dev.lambkin.api.status;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/** Why a function's instances cannot start, read off its pods the moment the kubelet or scheduler says so (used by the operator for status and by the gateway to fail held requests fast). */
public record StartFailure(String reason, String message, String pod) {
    /** Container waiting reasons that mean the container will not run without a change. */
    static final Set<String> FAILING_WAIT_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull",
            "InvalidImageName", "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError",
            "RunContainerError");

    /** The first failure among the pods (by name, for a stable answer), if any. */
    public static Optional<StartFailure> of(List<Pod> pods) {
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(StartFailure::ofPod)
                .flatMap(Optional::stream)
                .findFirst();
    }

    public static Optional<StartFailure> ofPod(Pod pod) {
        String name = pod.getMetadata().getName();
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        // an init container (the Runtime API helper's installer) fails the same ways before the function's can
        List<ContainerStatus> containers = Stream.of(pod.getStatus().getInitContainerStatuses(),
                pod.getStatus().getContainerStatuses()).filter(Objects::nonNull).flatMap(List::stream).toList();
        for (ContainerStatus c : containers) {
            var waiting = c.getState() == null ? null : c.getState().getWaiting();
            if (waiting != null && FAILING_WAIT_REASONS.contains(waiting.getReason())) {
                String message = waiting.getMessage() != null ? waiting.getMessage() : waiting.getReason();
                var last = c.getLastState() == null ? null : c.getLastState().getTerminated();
                if (last != null) {
                    message = message + "; last exit code " + last.getExitCode()
                            + (last.getReason() != null ? " (" + last.getReason() + ")" : "")
                            + (last.getMessage() != null ? ": " + last.getMessage().strip() : "");
                }
                return Optional.of(new StartFailure(waiting.getReason(), message, name));
            }
        }
        List<PodCondition> conditions = pod.getStatus().getConditions();
        if (conditions != null) {
            for (PodCondition c : conditions) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason())) {
                    return Optional.of(new StartFailure("Unschedulable", c.getMessage(), name));
                }
            }
        }
        return Optional.empty();
    }
}
