package dev.lambkin.gateway.trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.NatsSource;
import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.contract.Contract;
import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.async.AsyncEvent;
import dev.lambkin.gateway.async.AsyncMetrics;
import dev.lambkin.gateway.async.EventQueue;
import dev.lambkin.gateway.invoke.RequestIds;
import dev.lambkin.gateway.nats.NatsClient;
import dev.lambkin.gateway.peers.GatewayPeers;
import dev.lambkin.gateway.record.GatewayEvents;
import dev.lambkin.gateway.route.FunctionKey;
import dev.lambkin.gateway.route.Upserts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Listens to the subjects of nats Triggers on the installation's NATS and turns each message into an async event
 * of the Trigger's function (through the events stream, so retries and dead letters apply). Core NATS: every
 * replica subscribes in the Trigger's queue group, so a message invokes once; a message sent while no gateway
 * listens is gone (NATS's at-most-once). JetStream: every replica reads the Trigger's durable consumer and
 * acknowledges a message only once its event is stored, with an event id derived from the message's sequence, so
 * a gateway killed between the two loses nothing and duplicates nothing. The leader reports the subscriptions in
 * the Triggers' status.
 */
@ApplicationScoped
public class NatsRunner {
    private static final Logger LOG = Logger.getLogger(NatsRunner.class);
    /** A stored message not acknowledged in this time is delivered again (to any replica). */
    static final Duration ACK_WAIT = Duration.ofSeconds(30);
    /** A Trigger's consumer that no gateway has read for this long is deleted by JetStream (one left behind). */
    static final Duration CONSUMER_INACTIVE = Duration.ofDays(7);

    /** One Trigger's subscription on this replica. */
    private static final class Listening {
        long generation = -1;
        Subscription core;
        MessageConsumer stored;
        String reason;
        String problem;
    }

    private final NatsClient nats;
    private final Triggers triggers;
    private final EventQueue events;
    private final AsyncMetrics asyncMetrics;
    private final GatewayPeers peers;
    private final GatewayEvents kubernetesEvents;
    private final GatewayConfig config;
    private final TriggerMetrics metrics;
    private final Vertx vertx;
    private final StatusWrites writes;
    private final LastFired lastFired;
    private final Map<String, Listening> listening = new ConcurrentHashMap<>();
    private final Map<String, Trigger> deleted = new ConcurrentHashMap<>();
    private volatile boolean restart;
    private Dispatcher dispatcher;
    private BlockingTicks ticks;

    public NatsRunner(NatsClient nats, Triggers triggers, EventQueue events, AsyncMetrics asyncMetrics, GatewayPeers peers,
            GatewayEvents kubernetesEvents, GatewayConfig config, TriggerMetrics metrics, Vertx vertx, KubernetesClient client) {
        this.nats = nats;
        this.triggers = triggers;
        this.events = events;
        this.asyncMetrics = asyncMetrics;
        this.peers = peers;
        this.kubernetesEvents = kubernetesEvents;
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
        this.writes = new StatusWrites(client);
        this.lastFired = new LastFired(client);
    }

    void start(@Observes StartupEvent e) {
        triggers.onChange(Upserts.of(t -> {
        }, t -> {
            if (t.getSpec() != null && t.getSpec().nats != null) {
                deleted.put(t.getMetadata().getUid(), t);
            }
        }));
        // a reconnect may reach a restarted server that lost the consumers' pulls: start them afresh
        nats.onConnected(() -> restart = true);
        ticks = new BlockingTicks(vertx, config.triggers().tick(), "nats triggers", this::reconcile);
    }

    void stop(@Observes ShutdownEvent e) {
        if (ticks != null) {
            ticks.stop();
        }
        listening.values().forEach(this::close);
    }

    private void reconcile() {
        if (restart) {
            restart = false;
            listening.values().forEach(l -> {
                if (l.stored != null) {
                    close(l);
                    l.generation = -1;
                }
            });
        }
        boolean leader = peers.leader();
        if (!leader) {
            writes.clear();
        }
        Set<String> present = new java.util.HashSet<>();
        for (Trigger t : triggers.list()) {
            if (t.getSpec() == null || t.getSpec().nats == null || t.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String uid = t.getMetadata().getUid();
            present.add(uid);
            Listening l = listening.computeIfAbsent(uid, k -> new Listening());
            long generation = t.getMetadata().getGeneration() == null ? 0 : t.getMetadata().getGeneration();
            if (l.generation != generation) {
                close(l);
                String before = l.problem;
                listen(t, l);
                if (l.problem == null) {
                    l.generation = generation; // else tried again at the next tick
                } else if (!l.problem.equals(before)) {
                    LOG.warnf("nats trigger %s/%s: %s (tried again each second)", t.getMetadata().getNamespace(),
                            t.getMetadata().getName(), l.problem);
                }
            }
            if (leader) {
                report(t, l, generation);
            }
            lastFired.write(t);
        }
        for (String uid : Set.copyOf(listening.keySet())) {
            if (!present.contains(uid)) {
                close(listening.remove(uid));
                lastFired.forget(uid);
                writes.forget(uid);
            }
        }
        for (Trigger gone : Set.copyOf(deleted.values())) {
            deleted.remove(gone.getMetadata().getUid());
            if (leader && gone.getSpec().nats.stream != null) {
                deleteConsumer(gone);
            }
        }
    }

    private void listen(Trigger t, Listening l) {
        NatsSource source = t.getSpec().nats;
        String name = t.getMetadata().getNamespace() + "/" + t.getMetadata().getName();
        FunctionKey key = new FunctionKey(t.getMetadata().getNamespace(), t.getSpec().function);
        if (!nats.connected()) {
            l.reason = "NatsUnavailable";
            l.problem = "the gateway is not connected to NATS at " + nats.url();
            return;
        }
        try {
            if (source.stream == null) {
                String group = source.queueGroup != null ? source.queueGroup
                        : StreamNames.triggerQueueGroup(t.getMetadata().getNamespace(), t.getMetadata().getName());
                l.core = dispatcher().subscribe(source.subject, group, m -> onCore(t, key, name, m));
                l.reason = "Subscribed";
                l.problem = null;
                LOG.infof("nats trigger %s listens to %s (queue group %s)", name, source.subject, group);
            } else {
                String consumer = StreamNames.triggerConsumer(t.getMetadata().getUid());
                nats.management().addOrUpdateConsumer(source.stream, ConsumerConfiguration.builder().durable(consumer)
                        .filterSubject(source.subject).ackPolicy(AckPolicy.Explicit).ackWait(ACK_WAIT).maxDeliver(-1)
                        .deliverPolicy(DeliverPolicy.New).maxAckPending(256).inactiveThreshold(CONSUMER_INACTIVE).build());
                l.stored = nats.connection().getStreamContext(source.stream).getConsumerContext(consumer)
                        .consume(m -> onStored(t, key, name, m));
                l.reason = "Subscribed";
                l.problem = null;
                LOG.infof("nats trigger %s reads %s from stream %s (consumer %s)", name, source.subject, source.stream, consumer);
            }
        } catch (JetStreamApiException ex) {
            l.reason = ex.getErrorCode() == 404 ? "StreamNotFound" : "SubscribeFailed";
            l.problem = ex.getErrorCode() == 404 ? "JetStream stream " + source.stream + " does not exist on the installation's NATS"
                    : "cannot read stream " + source.stream + ": " + ex.getMessage();
        } catch (Exception ex) {
            l.reason = "SubscribeFailed";
            l.problem = "cannot subscribe to " + source.subject + ": " + ex.getMessage();
        }
    }

    private void onCore(Trigger t, FunctionKey key, String name, Message m) {
        byte[] body = eventOf(t, name, m);
        if (body == null) {
            return;
        }
        events.publish(AsyncEvent.accepted(RequestIds.next(), key, body, Instant.now(), traceparent(m))).whenComplete((seq, err) -> {
            if (err != null) {
                metrics.count(t, "failed"); // core NATS keeps no copy to try again with
                LOG.warnf("nats trigger %s lost a message on %s: the event could not be stored: %s", name, m.getSubject(), err.getMessage());
            } else {
                fired(t, key);
            }
        });
    }

    private void onStored(Trigger t, FunctionKey key, String name, Message m) {
        byte[] body = eventOf(t, name, m);
        if (body == null) {
            m.term();
            return;
        }
        String id = NatsEvents.id(t.getMetadata().getUid(), m.metaData().getStream(), m.metaData().streamSequence());
        // accepted "at" the message's own time: every delivery of it makes the same events-stream message id, so a
        // redelivery (after a crash, or a store that answered too late) is de-duplicated, not a second event
        Instant stored = m.metaData().timestamp().toInstant();
        events.publish(AsyncEvent.accepted(id, key, body, stored, traceparent(m))).whenComplete((seq, err) -> {
            if (err != null) {
                metrics.count(t, "failed");
                m.nakWithDelay(Duration.ofSeconds(1)); // stays in the stream; delivered again
            } else {
                m.ack();
                fired(t, key);
            }
        });
    }

    /** The message's event, or null (counted and logged) when it is over the asynchronous limit. */
    private byte[] eventOf(Trigger t, String name, Message m) {
        byte[] body = NatsEvents.of(name, m).toBuffer().getBytes();
        if (body.length <= Contract.MAX_ASYNC_EVENT_BYTES) {
            return body;
        }
        metrics.count(t, "dropped");
        LOG.warnf("nats trigger %s drops a message on %s%s: its event is %d bytes, over the asynchronous limit of %d", name,
                m.getSubject(), m.isJetStream() ? " (stream " + m.metaData().getStream() + ", sequence "
                        + m.metaData().streamSequence() + ")" : "", body.length, Contract.MAX_ASYNC_EVENT_BYTES);
        return null;
    }

    private void fired(Trigger t, FunctionKey key) {
        asyncMetrics.accepted(key);
        metrics.count(t, "fired");
        lastFired.fired(t.getMetadata().getUid());
    }

    private void report(Trigger t, Listening l, long generation) {
        NatsSource s = t.getSpec().nats;
        boolean armed = l.problem == null && l.generation == generation && nats.connected();
        String message = armed ? (s.stream == null ? "each message on " + s.subject + " becomes an event (core NATS, at most once)"
                : "each message of stream " + s.stream + " on " + s.subject + " becomes an event, acknowledged once stored")
                : l.problem != null ? l.problem : "the gateway is not connected to NATS at " + nats.url();
        String reason = armed ? "Subscribed" : l.problem != null ? l.reason : "NatsUnavailable";
        if (writes.write(t, new io.vertx.core.json.JsonObject().put("source", StatusWrites.source(armed, reason, message, generation)))) {
            LOG.infof("nats trigger %s/%s: %s (%s)", t.getMetadata().getNamespace(), t.getMetadata().getName(),
                    armed ? "armed" : "not armed", reason);
            if (!armed) {
                kubernetesEvents.record(t, "Warning", reason, "Subscribe", message);
            }
        }
    }

    private void deleteConsumer(Trigger gone) {
        String consumer = StreamNames.triggerConsumer(gone.getMetadata().getUid());
        try {
            nats.management().deleteConsumer(gone.getSpec().nats.stream, consumer);
        } catch (Exception ex) {
            LOG.debugf("consumer %s of a deleted trigger not deleted (JetStream removes it once inactive): %s", consumer, ex.getMessage());
        }
    }

    private void close(Listening l) {
        if (l == null) {
            return;
        }
        try {
            if (l.core != null && dispatcher != null) {
                dispatcher.unsubscribe(l.core);
            }
            if (l.stored != null) {
                l.stored.stop();
            }
        } catch (RuntimeException ex) {
            LOG.debugf("closing a subscription: %s", ex.getMessage());
        }
        l.core = null;
        l.stored = null;
    }

    private synchronized Dispatcher dispatcher() throws java.io.IOException {
        if (dispatcher == null) {
            dispatcher = nats.connection().createDispatcher();
        }
        return dispatcher;
    }

    private static String traceparent(Message m) {
        return m.hasHeaders() ? m.getHeaders().getFirst(Contract.TRACEPARENT) : null;
    }
}
