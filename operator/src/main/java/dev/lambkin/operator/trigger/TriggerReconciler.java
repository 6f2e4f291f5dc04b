package dev.lambkin.operator.trigger;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.api.v1alpha1.TriggerStatus;
import dev.lambkin.operator.status.Conditions;
import dev.lambkin.operator.status.EventRecorder;
import dev.lambkin.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Validates Triggers against the cluster: the Function they name must exist, a schedule must be valid. Runs
 * again whenever that Function appears or goes. Firing schedules and routes is the gateway's work.
 */
@ControllerConfiguration(name = TriggerReconciler.NAME)
public class TriggerReconciler implements Reconciler<Trigger> {
    public static final String NAME = "trigger";
    private static final String BY_FUNCTION = "byFunction";

    private final EventRecorder events;
    private final Clock clock = Clock.systemUTC();
    private InformerEventSource<Function, Trigger> functions;

    public TriggerReconciler(EventRecorder events) {
        this.events = events;
    }

    @Override
    public List<EventSource<?, Trigger>> prepareEventSources(EventSourceContext<Trigger> context) {
        context.getPrimaryCache().addIndexer(BY_FUNCTION,
                t -> List.of(t.getMetadata().getNamespace() + "/" + t.getSpec().function));
        functions = new InformerEventSource<>(InformerEventSourceConfiguration.from(Function.class, Trigger.class)
                .withName("functions")
                .withSecondaryToPrimaryMapper(fn -> context.getPrimaryCache()
                        .byIndex(BY_FUNCTION, fn.getMetadata().getNamespace() + "/" + fn.getMetadata().getName())
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(functions);
    }

    @Override
    public UpdateControl<Trigger> reconcile(Trigger trigger, Context<Trigger> context) {
        boolean exists = functions.get(new ResourceID(trigger.getSpec().function, trigger.getMetadata().getNamespace()))
                .isPresent();
        TriggerStatus previous = trigger.getStatus();
        TriggerStatus next = TriggerStatusCalculator.compute(trigger, exists, clock.instant());
        Condition before = previous == null ? null : Conditions.find(previous.conditions, Conditions.READY).orElse(null);
        Condition after = Conditions.find(next.conditions, Conditions.READY).orElseThrow();
        if ("False".equals(after.getStatus())
                && (before == null || !Objects.equals(before.getReason(), after.getReason()))) {
            events.warning(trigger, "ready False " + after.getReason() + " " + next.observedGeneration,
                    after.getReason(), "Validate", after.getMessage());
        }
        return StatusPatch.same(previous, next) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(StatusPatch.of(trigger, new Trigger(), next));
    }
}
