package dev.lambkin.gateway.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jboss.logging.Logger;

import dev.lambkin.api.streams.NatsConnector;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The gateway's connection to NATS, opened at start-up and reconnecting for ever: the synchronous path never
 * depends on it, and while it is down asynchronous invokes get 503 rather than a promise nobody keeps.
 */
@ApplicationScoped
public class NatsClient {
    private static final Logger LOG = Logger.getLogger(NatsClient.class);
    private final NatsConfig config;
    private final CopyOnWriteArrayList<Runnable> onConnected = new CopyOnWriteArrayList<>();
    private volatile Connection connection;
    private volatile boolean everConnected;

    public NatsClient(NatsConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent e) throws InterruptedException {
        NatsConnector.connect(config.url(), "lambkin-gateway", config.credentials(), Duration.ofMillis(500), (conn, type) -> {
            LOG.infof("NATS %s: %s", config.url(), type);
            connection = conn;
            if (type == ConnectionListener.Events.CONNECTED || type == ConnectionListener.Events.RECONNECTED
                    || type == ConnectionListener.Events.RESUBSCRIBED) {
                everConnected = true;
                onConnected.forEach(Runnable::run);
            }
        });
    }

    /** Runs each time the connection is (re)established, e.g. to make sure the streams exist. */
    public void onConnected(Runnable action) {
        onConnected.add(action);
        if (connected()) {
            action.run();
        }
    }

    /** Whether a connection was ever established since start-up (it may be down now). */
    public boolean everConnected() {
        return everConnected;
    }

    public boolean connected() {
        Connection c = connection;
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    public JetStream jetStream() throws IOException {
        return connectedOrThrow().jetStream();
    }

    public JetStreamManagement management() throws IOException {
        return connectedOrThrow().jetStreamManagement();
    }

    public Connection connection() throws IOException {
        return connectedOrThrow();
    }

    public String url() {
        return config.url();
    }

    private Connection connectedOrThrow() throws IOException {
        if (!connected()) {
            throw new IOException("not connected to NATS at " + config.url());
        }
        return connection;
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        if (connection != null) {
            connection.close();
        }
    }
}
