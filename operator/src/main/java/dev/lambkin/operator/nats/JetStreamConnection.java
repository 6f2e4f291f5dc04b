package dev.lambkin.operator.nats;

import java.io.IOException;
import java.time.Duration;

import org.jboss.logging.Logger;

import dev.lambkin.api.streams.NatsConnector;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The operator's one connection to NATS, opened on first use and kept reconnecting for ever, so an operator
 * started before NATS (or across a NATS restart) recovers by itself; until then callers get an
 * {@link IOException} naming the server, which becomes a queue's StreamReady=False reason.
 */
@ApplicationScoped
public class JetStreamConnection {
    private static final Logger LOG = Logger.getLogger(JetStreamConnection.class);
    private final NatsConfig config;
    private volatile Connection connection;
    private boolean connecting;

    public JetStreamConnection(NatsConfig config) {
        this.config = config;
    }

    public JetStreamManagement management() throws IOException {
        connectOnce();
        Connection c = connection;
        if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
            throw new IOException("not connected to NATS at " + config.url() + (c == null ? "" : " (" + c.getStatus() + ")"));
        }
        return c.jetStreamManagement();
    }

    /** Starts connecting in the background; a reconcile never waits for NATS, it reports it unavailable. */
    private synchronized void connectOnce() throws IOException {
        if (connecting) {
            return;
        }
        connecting = true;
        try {
            NatsConnector.connect(config.url(), "lambkin-operator", config.credentials(), Duration.ofSeconds(1), (conn, type) -> {
                connection = conn;
                LOG.infof("NATS %s: %s", config.url(), type);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to NATS at " + config.url(), e);
        }
    }

    @PreDestroy
    synchronized void close() throws InterruptedException {
        if (connection != null) {
            connection.close();
        }
    }
}
