package dev.lambkin.operator.nats;

import java.io.IOException;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
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
    private volatile io.nats.client.ConnectionListener.Events lastEvent;

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
        Options.Builder options = Options.builder().server(config.url()).connectionName("lambkin-operator")
                .maxReconnects(-1).reconnectWait(Duration.ofSeconds(1)).connectionTimeout(Duration.ofSeconds(3))
                // a connection that stops answering (a server killed and replaced) is noticed in seconds, not minutes
                .pingInterval(Duration.ofSeconds(5)).maxPingsOut(2)
                .errorListener(new ErrorListener() {
                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        LOG.debugf("NATS %s: %s", config.url(), exp.toString());
                    }
                })
                .connectionListener((conn, type) -> {
                    connection = conn;
                    if (type != lastEvent) { // not once per reconnect attempt
                        LOG.infof("NATS %s: %s", config.url(), type);
                    }
                    lastEvent = type;
                });
        config.credentials().ifPresent(path -> options.authHandler(Nats.credentials(path)));
        try {
            Nats.connectAsynchronously(options.build(), true);
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
