package dev.lambkin.gateway.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jboss.logging.Logger;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
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
    private volatile ConnectionListener.Events lastEvent;

    public NatsClient(NatsConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent e) throws InterruptedException {
        Options.Builder options = Options.builder().server(config.url()).connectionName("lambkin-gateway")
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(500)).connectionTimeout(Duration.ofSeconds(3))
                    // a connection that stops answering (a server killed and replaced) is noticed in seconds, not minutes
                    .pingInterval(Duration.ofSeconds(5)).maxPingsOut(2)
                // a NATS that is down is one line per state change, not a stack trace per reconnect attempt
                .errorListener(new ErrorListener() {
                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        LOG.debugf("NATS %s: %s", config.url(), exp.toString());
                    }
                })
                .connectionListener((conn, type) -> {
                    if (type != lastEvent) { // not once per reconnect attempt
                        LOG.infof("NATS %s: %s", config.url(), type);
                    }
                    lastEvent = type;
                    connection = conn;
                    if (type == ConnectionListener.Events.CONNECTED || type == ConnectionListener.Events.RECONNECTED
                            || type == ConnectionListener.Events.RESUBSCRIBED) {
                        onConnected.forEach(Runnable::run);
                    }
                });
        config.credentials().ifPresent(path -> options.authHandler(Nats.credentials(path)));
        // in the background: the synchronous path must never wait for NATS, at start-up or later
        Nats.connectAsynchronously(options.build(), true);
    }

    /** Runs each time the connection is (re)established, e.g. to make sure the streams exist. */
    public void onConnected(Runnable action) {
        onConnected.add(action);
        if (connected()) {
            action.run();
        }
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
