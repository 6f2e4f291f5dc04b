package dev.lambkin.operator.deadletter;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.lambkin.api.v1alpha1.DeadLetterQueue;
import dev.lambkin.api.v1alpha1.DeadLetterQueueStatus;
import dev.lambkin.operator.references.ReferencedFunctions;
import dev.lambkin.operator.status.Conditions;
import dev.lambkin.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

/**
 * Validates DeadLetterQueues: a sink Function must exist. Ready means the queue is accepted and can be
 * referenced; the JetStream stream behind it is reported by its own condition, StreamReady, which stays
 * False (NotProvisioned) until the operator manages streams.
 */
@ControllerConfiguration(name = DeadLetterQueueReconciler.NAME)
public class DeadLetterQueueReconciler implements Reconciler<DeadLetterQueue> {
    public static final String NAME = "deadletterqueue";
    public static final String STREAM_READY = "StreamReady";

    private final Clock clock = Clock.systemUTC();
    private ReferencedFunctions<DeadLetterQueue> functions;

    @Override
    public List<EventSource<?, DeadLetterQueue>> prepareEventSources(EventSourceContext<DeadLetterQueue> context) {
        functions = new ReferencedFunctions<>(context, DeadLetterQueueReconciler::sinkFunction);
        return List.of(functions.eventSource());
    }

    @Override
    public UpdateControl<DeadLetterQueue> reconcile(DeadLetterQueue queue, Context<DeadLetterQueue> context) {
        String ns = queue.getMetadata().getNamespace();
        Optional<String> missingSink = functions.missing(queue);
        Long generation = queue.getMetadata().getGeneration();
        DeadLetterQueueStatus previous = queue.getStatus() != null ? queue.getStatus() : new DeadLetterQueueStatus();
        List<Condition> conditions = new ArrayList<>();
        conditions.add(missingSink
                .map(f -> Conditions.of(Conditions.READY, false, "SinkFunctionNotFound",
                        "sink.function names Function " + f + ", which does not exist in namespace " + ns, generation))
                .orElseGet(() -> Conditions.of(Conditions.READY, true, "Accepted",
                        "the queue is valid and can be referenced by Functions", generation)));
        conditions.add(Conditions.of(STREAM_READY, false, "NotProvisioned",
                "dead letters are stored in a JetStream stream, which this operator version does not manage yet",
                generation));
        DeadLetterQueueStatus next = new DeadLetterQueueStatus();
        next.observedGeneration = generation;
        next.messages = previous.messages;
        next.oldestMessageAge = previous.oldestMessageAge;
        next.conditions = Conditions.withTransitionTimes(previous.conditions, conditions, clock.instant());
        return StatusPatch.same(queue.getStatus(), next) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(StatusPatch.of(queue, new DeadLetterQueue(), next));
    }

    private static Optional<String> sinkFunction(DeadLetterQueue q) {
        return Optional.ofNullable(q.getSpec()).map(s -> s.sink).map(s -> s.function);
    }
}
