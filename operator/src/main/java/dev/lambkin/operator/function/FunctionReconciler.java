package dev.lambkin.operator.function;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.lambkin.api.v1alpha1.FunctionDefaults;
import dev.lambkin.api.v1alpha1.DeadLetterQueue;
import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.api.v1alpha1.FunctionStatus;
import dev.lambkin.operator.config.OperatorConfig;
import dev.lambkin.operator.names.FunctionNames;
import dev.lambkin.operator.status.Conditions;
import dev.lambkin.operator.status.EventRecorder;
import dev.lambkin.operator.status.ReconcileFailure;
import dev.lambkin.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;

/**
 * Function → Deployment and NetworkPolicy (one dependent each), and a status that says whether the function can
 * be invoked and, if not, why. Pods are watched too, so a start failure shows within seconds. No Service: the
 * gateway routes to the pods' IPs from its own pod informer, and nothing else may reach them.
 */
@ControllerConfiguration(name = FunctionReconciler.NAME)
// a refused dependent is tried again for as long as it fails, at most a minute apart (JOSDK's default gives up after 5)
@GradualRetry(maxAttempts = -1, maxInterval = 60_000)
@Workflow(dependents = {
        @Dependent(name = "deployment", type = DeploymentDependent.class),
        @Dependent(name = "networkpolicy", type = NetworkPolicyDependent.class)
})
public class FunctionReconciler implements Reconciler<Function> {
    public static final String NAME = "function";
    private static final Logger LOG = Logger.getLogger(FunctionReconciler.class);
    private static final String BY_DEAD_LETTER_QUEUE = "byDeadLetterQueue";

    private final OperatorConfig config;
    private final EventRecorder events;
    private final Clock clock;
    private InformerEventSource<DeadLetterQueue, Function> queues;

    public FunctionReconciler(OperatorConfig config, EventRecorder events) {
        this.config = config;
        this.events = events;
        this.clock = Clock.systemUTC();
    }

    @Override
    public List<EventSource<?, Function>> prepareEventSources(EventSourceContext<Function> context) {
        // Functions by the queue they reference, so a queue appearing or going re-evaluates them
        context.getPrimaryCache().addIndexer(BY_DEAD_LETTER_QUEUE, fn -> FunctionDefaults.deadLetterQueue(fn.getSpec())
                .map(q -> List.of(key(fn.getMetadata().getNamespace(), q))).orElse(List.of()));
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, Function.class)
                .withName("pods")
                .withLabelSelector(FunctionNames.OWNED)
                .withSecondaryToPrimaryMapper(pod -> Optional.ofNullable(pod.getMetadata().getLabels())
                        .map(l -> l.get(FunctionNames.FUNCTION_LABEL))
                        .map(fn -> Set.of(new ResourceID(fn, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build(), context);
        queues = new InformerEventSource<>(InformerEventSourceConfiguration.from(DeadLetterQueue.class, Function.class)
                .withName("deadletterqueues")
                .withSecondaryToPrimaryMapper(q -> context.getPrimaryCache()
                        .byIndex(BY_DEAD_LETTER_QUEUE, key(q.getMetadata().getNamespace(), q.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(pods, queues);
    }

    @Override
    public UpdateControl<Function> reconcile(Function fn, Context<Function> context) {
        String ns = fn.getMetadata().getNamespace();
        Optional<String> missingQueue = FunctionDefaults.deadLetterQueue(fn.getSpec())
                .filter(q -> queues.get(new ResourceID(q, ns)).isEmpty());
        var observed = new FunctionStatusCalculator.Observed(fn, context.getSecondaryResource(Deployment.class),
                List.copyOf(context.getSecondaryResources(Pod.class)), missingQueue,
                ReservationCheck.problem(fn, context.getPrimaryCache().list().toList(), config.concurrency().total(),
                        config.concurrency().unreservedMinimum()),
                FunctionNames.url(config.url(), fn));
        FunctionStatus previous = fn.getStatus();
        FunctionStatus next = FunctionStatusCalculator.compute(observed, clock.instant());
        recordEvents(fn, previous, next);
        if (StatusPatch.same(previous, next)) {
            return UpdateControl.noUpdate();
        }
        LOG.debugf("status of %s/%s changed", ns, fn.getMetadata().getName());
        // coldStarts is the gateway's field (it counts them): compared above, never applied by the operator, so
        // its value as read here can never overwrite a newer count
        next.coldStarts = null;
        // patched and cached: a reconcile that runs before the informer sees this patch (the dependents' events
        // arrive meanwhile) would otherwise compute the same status from the old one and apply it again
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(fn, StatusPatch.of(fn, new Function(), next), context);
        return UpdateControl.noUpdate();
    }

    /** A dependent failed or the API did not answer: Ready false with why, until a retry gets through. */
    @Override
    public ErrorStatusUpdateControl<Function> updateErrorStatus(Function fn, Context<Function> context, Exception e) {
        if (ReconcileFailure.namespaceTerminating(e)) {
            // the namespace's deletion takes the Function too: its objects cannot be made again, so no retry
            LOG.debugf("%s/%s: its namespace is being deleted", fn.getMetadata().getNamespace(), fn.getMetadata().getName());
            return ErrorStatusUpdateControl.<Function>noStatusUpdate().withNoRetry();
        }
        FunctionStatus previous = fn.getStatus() != null ? fn.getStatus() : new FunctionStatus();
        FunctionStatus next = new FunctionStatus();
        // the generation was not applied: observedGeneration stays (the Ready condition names the one that failed)
        next.observedGeneration = previous.observedGeneration;
        next.replicas = previous.replicas;
        next.readyReplicas = previous.readyReplicas;
        next.url = previous.url;
        next.lastScaleTime = previous.lastScaleTime;
        next.conditions = ReconcileFailure.conditions(previous.conditions, fn.getMetadata().getGeneration(), e, clock.instant());
        next.coldStarts = previous.coldStarts;
        if (StatusPatch.same(previous, next)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        Condition failed = next.conditions.getFirst();
        LOG.warnf("reconcile of %s/%s failed: %s", fn.getMetadata().getNamespace(), fn.getMetadata().getName(), failed.getMessage());
        events.forget(fn, "ready True");
        events.warning(fn, "ready False " + ReconcileFailure.REASON + " " + fn.getMetadata().getGeneration(),
                ReconcileFailure.REASON, "Reconcile", failed.getMessage());
        next.coldStarts = null; // the gateway's field, as in reconcile
        return ErrorStatusUpdateControl.patchStatus(StatusPatch.of(fn, new Function(), next));
    }

    /** One event per change: creation, a new generation applied, Ready turning true or false with a new reason. */
    private void recordEvents(Function fn, FunctionStatus previous, FunctionStatus next) {
        if (previous == null || previous.observedGeneration == null) {
            events.normal(fn, "created", "Created", "Reconcile",
                    "created Deployment and NetworkPolicy " + FunctionNames.deployment(fn));
        } else if (!Objects.equals(previous.observedGeneration, next.observedGeneration)) {
            events.normal(fn, "generation " + next.observedGeneration, "Updated", "Reconcile",
                    "applied generation " + next.observedGeneration);
        }
        Condition before = previous == null ? null : Conditions.find(previous.conditions, Conditions.READY).orElse(null);
        Condition after = Conditions.find(next.conditions, Conditions.READY).orElseThrow();
        boolean changed = before == null || !Objects.equals(before.getStatus(), after.getStatus())
                || !Objects.equals(before.getReason(), after.getReason());
        if (!changed) {
            return;
        }
        String change = "ready " + after.getStatus() + " " + after.getReason();
        if ("True".equals(after.getStatus())) {
            events.forget(fn, "ready False");
            // Ready after creation is expected: only a recovery is news
            if (before != null && "False".equals(before.getStatus()) && !"Reconciling".equals(before.getReason())) {
                events.normal(fn, change, "Ready", "Reconcile", after.getMessage());
            }
        } else if (!"Reconciling".equals(after.getReason()) && !"InstancesStarting".equals(after.getReason())) {
            events.forget(fn, "ready True");
            events.warning(fn, change, after.getReason(), "Start", after.getMessage());
        }
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
