package dev.lambkin.operator.trigger;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.api.v1alpha1.TriggerStatus;
import dev.lambkin.operator.references.ReferencedFunctions;
import dev.lambkin.operator.status.Conditions;
import dev.lambkin.operator.status.EventRecorder;
import dev.lambkin.operator.status.ReconcileFailure;
import dev.lambkin.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

/**
 * Validates Triggers against the cluster: the Function they name must exist, a schedule must be valid; Ready also
 * needs the gateway's report that it armed the source (status.source). Runs again whenever that Function appears
 * or goes, and when the status changes (the gateway writes its part there, so status changes count).
 */
@ControllerConfiguration(name = TriggerReconciler.NAME, generationAwareEventProcessing = false)
@GradualRetry(maxAttempts = -1, maxInterval = 60_000)
public class TriggerReconciler implements Reconciler<Trigger> {
    public static final String NAME = "trigger";
    private final EventRecorder events;
    private final Clock clock = Clock.systemUTC();
    private ReferencedFunctions<Trigger> functions;

    public TriggerReconciler(EventRecorder events) {
        this.events = events;
    }

    @Override
    public List<EventSource<?, Trigger>> prepareEventSources(EventSourceContext<Trigger> context) {
        functions = new ReferencedFunctions<>(context, t -> Optional.ofNullable(t.getSpec().function));
        return List.of(functions.eventSource());
    }

    @Override
    public UpdateControl<Trigger> reconcile(Trigger trigger, Context<Trigger> context) {
        boolean exists = functions.missing(trigger).isEmpty();
        TriggerStatus previous = trigger.getStatus();
        TriggerStatus next = TriggerStatusCalculator.compute(trigger, exists, clock.instant());
        Condition before = previous == null ? null : Conditions.find(previous.conditions, Conditions.READY).orElse(null);
        Condition after = Conditions.find(next.conditions, Conditions.READY).orElseThrow();
        if ("False".equals(after.getStatus()) && !"NotArmed".equals(after.getReason()) // a moment before the gateway arms it
                && (before == null || !Objects.equals(before.getReason(), after.getReason()))) {
            events.warning(trigger, "ready False " + after.getReason() + " " + next.observedGeneration,
                    after.getReason(), "Validate", after.getMessage());
        }
        // only the operator's fields are compared and applied: the gateway owns source, lastFired and nextFire
        return StatusPatch.same(TriggerStatusCalculator.operatorPart(previous), next) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(StatusPatch.of(trigger, new Trigger(), next));
    }

    /** The reconcile threw: Ready false with why (only the operator's part of the status, as in reconcile). */
    @Override
    public ErrorStatusUpdateControl<Trigger> updateErrorStatus(Trigger trigger, Context<Trigger> context, Exception e) {
        TriggerStatus previous = TriggerStatusCalculator.operatorPart(trigger.getStatus());
        TriggerStatus next = new TriggerStatus();
        next.observedGeneration = trigger.getMetadata().getGeneration();
        next.conditions = ReconcileFailure.conditions(previous == null ? null : previous.conditions, next.observedGeneration, e,
                clock.instant());
        return StatusPatch.same(previous, next) ? ErrorStatusUpdateControl.noStatusUpdate()
                : ErrorStatusUpdateControl.patchStatus(StatusPatch.of(trigger, new Trigger(), next));
    }
}
