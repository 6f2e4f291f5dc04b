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
    }

    private final EventQueue events;
    private final GatewayEvents kubernetesEvents;
    private final GatewayPeers peers;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final TriggerMetrics metrics;
    private final Map<String, Armed> armed = new ConcurrentHashMap<>();
    private final StatusWrites writes;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final Triggers triggers;
    private long timer = -1;

    public ScheduleRunner(KubernetesClient client, Triggers triggers, EventQueue events, GatewayEvents kubernetesEvents, GatewayPeers peers,
            GatewayConfig config, Vertx vertx, ObjectMapper json, TriggerMetrics metrics) {
        this.triggers = triggers;
        this.writes = new StatusWrites(client);
        this.events = events;
        this.kubernetesEvents = kubernetesEvents;
        this.peers = peers;
        this.config = config;
        this.vertx = vertx;
        this.json = json;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent e) {
        triggers.onChange(Upserts.of(t -> {
        }, t -> {
            armed.remove(t.getMetadata().getUid());
            writes.forget(t.getMetadata().getUid());
        }));
        timer = vertx.setPeriodic(config.triggers().tick().toMillis(), t -> tick());
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        blocking.shutdownNow();
    }

    private void tick() {
        if (!peers.leader()) {
            armed.clear(); // a new leader starts from the Triggers' status
            writes.clear();
            return;
        }
        Instant now = Instant.now();
        for (Trigger t : triggers.list()) {
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
            metrics.count(t, "failed");
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
        metrics.count(t, "fired");
        LOG.infof("schedule %s/%s fired for %s (request id %s)", t.getMetadata().getNamespace(), t.getMetadata().getName(),
                fire.scheduled(), id);
        report(t, a, generation, true, "Scheduled", "the schedule is registered", fire.next());
    }

    /** The gateway's part of the status (source, nextFire, lastFired), written when it changed. */
    private void report(Trigger t, Armed a, long generation, boolean isArmed, String reason, String message, Instant next) {
        JsonObject status = new JsonObject().put("source", StatusWrites.source(isArmed, reason, message, generation))
                .put("nextFire", next == null ? null : next.toString());
        if (a.lastFired != null) {
            status.put("lastFired", a.lastFired.toString());
        }
        writes.write(t, status);
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
