package dev.lambkin.operator.deadletter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.DeadLetterQueue;
import dev.lambkin.api.v1alpha1.DeadLetterQueueStatus;
import dev.lambkin.operator.nats.NatsConfig;
import dev.lambkin.operator.references.ReferencedFunctions;
import dev.lambkin.operator.status.Conditions;
import dev.lambkin.operator.status.ReconcileFailure;
import dev.lambkin.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.Condition;
import dev.lambkin.api.v1alpha1.DeletionPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.nats.client.JetStreamApiException;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

/**
 * DeadLetterQueues: a JetStream stream per queue (created, retention kept in step with the spec) and a status
 * read from it every few seconds (messages, oldest message's age). Ready needs both a valid sink and the
 * stream; StreamReady says what is wrong with the stream (NATS unreachable, refused configuration). Deleting a
 * queue deletes its stream too when its deletionPolicy says Delete.
 */
@ControllerConfiguration(name = DeadLetterQueueReconciler.NAME)
@GradualRetry(maxAttempts = -1, maxInterval = 60_000)
public class DeadLetterQueueReconciler implements Reconciler<DeadLetterQueue>, Cleaner<DeadLetterQueue> {
    public static final String NAME = "deadletterqueue";
    public static final String STREAM_READY = "StreamReady";

    private static final Logger LOG = Logger.getLogger(DeadLetterQueueReconciler.class);
    private final Clock clock = Clock.systemUTC();
    private final DeadLetterStream streams;
    private final NatsConfig nats;
    private ReferencedFunctions<DeadLetterQueue> functions;

    public DeadLetterQueueReconciler(DeadLetterStream streams, NatsConfig nats) {
        this.streams = streams;
        this.nats = nats;
    }

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
        DeadLetterQueueStatus next = new DeadLetterQueueStatus();
        next.observedGeneration = generation;
        Condition stream;
        try {
            DeadLetterStream.State state = streams.ensure(queue);
            next.messages = state.messages();
            next.oldestMessageAge = state.oldest().map(t -> GoDurations.age(Duration.between(t, clock.instant()))).orElse(null);
            stream = Conditions.of(STREAM_READY, true, "Provisioned", "JetStream stream " + state.stream() + " holds "
                    + state.messages() + " dead letters", generation);
        } catch (IOException e) {
            next.messages = previous.messages;
            next.oldestMessageAge = previous.oldestMessageAge;
            stream = Conditions.of(STREAM_READY, false, "NatsUnavailable", e.getMessage(), generation);
        } catch (JetStreamApiException e) {
            LOG.warnf("stream of %s/%s refused: %s", ns, queue.getMetadata().getName(), e.getMessage());
            next.messages = previous.messages;
            next.oldestMessageAge = previous.oldestMessageAge;
            stream = Conditions.of(STREAM_READY, false, "StreamRefused", "JetStream refused the stream: " + e.getMessage(),
                    generation);
        }
        List<Condition> conditions = new ArrayList<>();
        if (missingSink.isPresent()) {
            conditions.add(Conditions.of(Conditions.READY, false, "SinkFunctionNotFound",
                    "sink.function names Function " + missingSink.get() + ", which does not exist in namespace " + ns,
                    generation));
        } else if (!"True".equals(stream.getStatus())) {
            conditions.add(Conditions.of(Conditions.READY, false, stream.getReason(), stream.getMessage(), generation));
        } else {
            conditions.add(Conditions.of(Conditions.READY, true, "Ready", "dead letters are kept in stream "
                    + StreamNames.deadLetterStream(ns, queue.getMetadata().getName()), generation));
        }
        conditions.add(stream);
        next.conditions = Conditions.withTransitionTimes(previous.conditions, conditions, clock.instant());
        // the counts change without any Kubernetes event: read them again soon
        UpdateControl<DeadLetterQueue> control = StatusPatch.same(queue.getStatus(), next) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(StatusPatch.of(queue, new DeadLetterQueue(), next));
        return control.rescheduleAfter("True".equals(stream.getStatus()) ? nats.statusInterval() : Duration.ofSeconds(5));
    }

    /** The reconcile threw: Ready false with why; the counts stay as last read. */
    @Override
    public ErrorStatusUpdateControl<DeadLetterQueue> updateErrorStatus(DeadLetterQueue queue, Context<DeadLetterQueue> context,
            Exception e) {
        DeadLetterQueueStatus previous = queue.getStatus() != null ? queue.getStatus() : new DeadLetterQueueStatus();
        DeadLetterQueueStatus next = new DeadLetterQueueStatus();
        next.observedGeneration = queue.getMetadata().getGeneration();
        next.messages = previous.messages;
        next.oldestMessageAge = previous.oldestMessageAge;
        next.conditions = ReconcileFailure.conditions(previous.conditions, next.observedGeneration, e, clock.instant());
        return StatusPatch.same(queue.getStatus(), next) ? ErrorStatusUpdateControl.noStatusUpdate()
                : ErrorStatusUpdateControl.patchStatus(StatusPatch.of(queue, new DeadLetterQueue(), next));
    }

    /** The queue is being deleted: its stream goes with it only when the queue asks for that. */
    @Override
    public DeleteControl cleanup(DeadLetterQueue queue, Context<DeadLetterQueue> context) {
        if (queue.getSpec() == null || queue.getSpec().deletionPolicy != DeletionPolicy.Delete) {
            return DeleteControl.defaultDelete();
        }
        try {
            streams.delete(queue);
            return DeleteControl.defaultDelete();
        } catch (IOException | JetStreamApiException e) {
            // the letters are not lost silently: the queue stays (Terminating) until its stream is gone
            LOG.warnf("stream of %s/%s not deleted yet: %s", queue.getMetadata().getNamespace(), queue.getMetadata().getName(),
                    e.getMessage());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(5));
        }
    }

    private static Optional<String> sinkFunction(DeadLetterQueue q) {
        return Optional.ofNullable(q.getSpec()).map(s -> s.sink).map(s -> s.function);
    }
}
