package dev.lambkin.gateway.trigger;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.async.AsyncEvent;
import dev.lambkin.gateway.async.EventQueue;
import dev.lambkin.gateway.peers.GatewayPeers;
import dev.lambkin.gateway.record.GatewayEvents;
import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.route.Upserts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Fires schedule Triggers: the Lease holder among the gateway replicas looks at every schedule each second and
 * publishes one async event per scheduled instant into the events stream (so retries and dead letters apply).
 * The event's message id comes from the Trigger's uid and the instant, so a firing repeated by a new leader or a
 * restarted gateway is de-duplicated by JetStream; {@code status.lastFired} carries the last instant across
 * leaders beyond JetStream's window. The gateway reports the schedule armed ({@code status.source}) and when it
 * fires next ({@code status.nextFire}); the operator's Ready follows.
 */
@ApplicationScoped
public class ScheduleRunner {
    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class);

    /** What this replica keeps of one schedule while it leads. */
    private static final class Armed {
        long generation = -1;
        CronSchedule schedule;
        String problem;
        Instant lastFired;
        volatile boolean busy;
        boolean failing;
        /** The gateway's part of the status as last written (compared with what it should be, not with the cache). */
        String written;
    }

    private final KubernetesClient client;
    private final EventQueue events;
    private final GatewayEvents kubernetesEvents;
    private final GatewayPeers peers;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Map<String, Armed> armed = new ConcurrentHashMap<>();
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private SharedIndexInformer<Trigger> informer;
    private long timer = -1;

    public ScheduleRunner(KubernetesClient client, EventQueue events, GatewayEvents kubernetesEvents, GatewayPeers peers,
            GatewayConfig config, Vertx vertx, ObjectMapper json, MeterRegistry registry) {
        this.client = client;
        this.events = events;
        this.kubernetesEvents = kubernetesEvents;
        this.peers = peers;
        this.config = config;
        this.vertx = vertx;
        this.json = json;
        this.registry = registry;
    }

    void start(@Observes StartupEvent e) {
        informer = client.resources(Trigger.class).inAnyNamespace().inform(Upserts.of(t -> {
        }, t -> armed.remove(t.getMetadata().getUid())), 0);
        timer = vertx.setPeriodic(config.triggers().tick().toMillis(), t -> tick());
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (informer != null) {
            informer.close();
        }
        blocking.shutdownNow();
    }

    private void tick() {
        if (!peers.leader()) {
            armed.clear(); // a new leader starts from the Triggers' status
            return;
        }
        Instant now = Instant.now();
        for (Trigger t : informer.getStore().list()) {
            if (t.getSpec() != null && t.getSpec().schedule != null && t.getMetadata().getDeletionTimestamp() == null) {
                Armed a = armed.computeIfAbsent(t.getMetadata().getUid(), k -> new Armed());
                if (!a.busy) {
                    a.busy = true;
                    blocking.execute(() -> {
                        try {
                            consider(t, a, now);
                        } catch (RuntimeException ex) {
                            LOG.warnf("schedule %s/%s: %s", t.getMetadata().getNamespace(), t.getMetadata().getName(), ex.toString());
                        } finally {
                            a.busy = false;
                        }
                    });
                }
            }
        }
    }

    private void consider(Trigger t, Armed a, Instant now) {
        long generation = t.getMetadata().getGeneration() == null ? 0 : t.getMetadata().getGeneration();
        if (a.generation != generation) {
            a.generation = generation;
            try {
                a.schedule = CronSchedule.parse(t.getSpec().schedule.cron, t.getSpec().schedule.timeZone);
                a.problem = null;
            } catch (RuntimeException invalid) {
                a.schedule = null;
                a.problem = "schedule " + t.getSpec().schedule.cron + " cannot be read: " + invalid.getMessage();
            }
        }
        if (a.schedule == null) {
            report(t, a, generation, false, "InvalidSchedule", a.problem, null);
            return;
        }
        a.lastFired = latest(a.lastFired, parse(t.getStatus() == null ? null : t.getStatus().lastFired));
        Instant since = latest(a.lastFired, Instant.parse(t.getMetadata().getCreationTimestamp()));
        ScheduleDecision.Step step = ScheduleDecision.decide(a.schedule, since, now, config.triggers().catchUp());
        if (step instanceof ScheduleDecision.Fire fire) {
            fire(t, a, fire, generation);
        } else {
            report(t, a, generation, true, "Scheduled", "the schedule is registered", step.next());
        }
    }

    private void fire(Trigger t, Armed a, ScheduleDecision.Fire fire, long generation) {
        FunctionKey key = new FunctionKey(t.getMetadata().getNamespace(), t.getSpec().function);
        String id = ScheduledEvents.id(t, fire.scheduled());
        // accepted "at" the scheduled instant: the same message id from every replica, the event's age from its time
        AsyncEvent event = AsyncEvent.accepted(id, key, ScheduledEvents.body(json, t, fire.scheduled()), fire.scheduled(), null);
        try {
            events.publish(event).toCompletableFuture().join();
        } catch (RuntimeException ex) {
            counter(t, "failed").increment();
            if (!a.failing) {
                a.failing = true;
                LOG.warnf("schedule %s/%s could not fire for %s (tried again each second): %s", t.getMetadata().getNamespace(),
                        t.getMetadata().getName(), fire.scheduled(), ex.getMessage());
                kubernetesEvents.record(t, "Warning", "FireFailed", "Fire", "could not queue the event for " + fire.scheduled() + ": " + ex.getMessage());
            }
            return;
        }
        a.failing = false;
        a.lastFired = fire.scheduled();
        counter(t, "fired").increment();
        LOG.infof("schedule %s/%s fired for %s (request id %s)", t.getMetadata().getNamespace(), t.getMetadata().getName(),
                fire.scheduled(), id);
        report(t, a, generation, true, "Scheduled", "the schedule is registered", fire.next());
    }

    /**
     * Patches the gateway's part of the status (source, nextFire, lastFired) when it differs from what this replica
     * last wrote; a failed write is tried again at the next tick, so lastFired always reaches the status.
     */
    private void report(Trigger t, Armed a, long generation, boolean isArmed, String reason, String message, Instant next) {
        JsonObject status = new JsonObject().put("source", new JsonObject().put("armed", isArmed).put("reason", reason)
                .put("message", message).put("observedGeneration", generation)).put("nextFire", next == null ? null : next.toString());
        if (a.lastFired != null) {
            status.put("lastFired", a.lastFired.toString());
        }
        String patch = new JsonObject().put("status", status).encode();
        if (patch.equals(a.written)) {
            return;
        }
        try {
            client.resources(Trigger.class).inNamespace(t.getMetadata().getNamespace()).withName(t.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            a.written = patch;
        } catch (RuntimeException ex) {
            LOG.warnf("status of %s/%s not written (tried again): %s", t.getMetadata().getNamespace(), t.getMetadata().getName(),
                    ex.getMessage());
        }
    }

    private Counter counter(Trigger t, String outcome) {
        return Counter.builder("lambkin.trigger.fires").description("Schedule firings, by outcome")
                .tags("namespace", t.getMetadata().getNamespace(), "trigger", t.getMetadata().getName(), "outcome", outcome)
                .register(registry);
    }

    /** The latest of the times given, or null when none is. */
    private static Instant latest(Instant... times) {
        Instant max = null;
        for (Instant i : times) {
            if (i != null && (max == null || i.isAfter(max))) {
                max = i;
            }
        }
        return max;
    }

    private static Instant parse(String time) {
        try {
            return time == null ? null : Instant.parse(time);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
