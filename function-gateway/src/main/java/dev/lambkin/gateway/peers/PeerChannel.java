package dev.lambkin.gateway.peers;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.lambkin.gateway.nats.NatsClient;
import io.nats.client.Dispatcher;
import io.vertx.core.json.JsonObject;

/**
 * Fire-and-forget JSON messages among the gateway replicas on one core NATS subject: each names its replica, and
 * a replica ignores its own. Nothing is sent while a replica is alone or NATS is away.
 */
final class PeerChannel {
    private static final Logger LOG = Logger.getLogger(PeerChannel.class);
    private final NatsClient nats;
    private final GatewayPeers peers;
    private final String subject;
    private final Consumer<JsonObject> receive;
    private Dispatcher dispatcher;

    PeerChannel(NatsClient nats, GatewayPeers peers, String subject, Consumer<JsonObject> receive) {
        this.nats = nats;
        this.peers = peers;
        this.subject = subject;
        this.receive = receive;
    }

    /** Listens from now on, across reconnects. */
    void listen() {
        nats.onConnected(this::subscribe);
    }

    private synchronized void subscribe() {
        try {
            if (dispatcher == null) {
                dispatcher = nats.connection().createDispatcher(m -> receive(new String(m.getData(), StandardCharsets.UTF_8)));
                dispatcher.subscribe(subject);
            }
        } catch (Exception e) {
            LOG.warnf("cannot listen to the other gateways on %s: %s", subject, e.getMessage());
        }
    }

    void send(JsonObject message) {
        if (peers.view().count() < 2 || !nats.connected()) {
            return;
        }
        try {
            nats.connection().publish(subject, message.copy().put("replica", self()).encode().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            LOG.debugf("not sent on %s: %s", subject, e.getMessage());
        }
    }

    void receive(String json) {
        try {
            JsonObject o = new JsonObject(json);
            String replica = o.getString("replica");
            if (replica != null && !replica.equals(self())) {
                receive.accept(o);
            }
        } catch (RuntimeException e) {
            LOG.warnf("ignoring a malformed message on %s: %s", subject, e.getMessage());
        }
    }

    String self() {
        return peers.view().replicas().get(peers.view().index());
    }
}
