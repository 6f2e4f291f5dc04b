package dev.lambkin.operator.nats;

import java.io.IOException;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.nats.client.Connection;
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
    private Connection connection;

    public JetStreamConnection(NatsConfig config) {
        this.config = config;
    }

    public synchronized JetStreamManagement management() throws IOException {
        if (connection == null) {
            Options.Builder options = Options.builder().server(config.url()).connectionName("lambkin-operator")
                    .maxReconnects(-1).reconnectWait(Duration.ofSeconds(1)).connectionTimeout(Duration.ofSeconds(3))
                    // a connection that stops answering (a server killed and replaced) is noticed in seconds, not minutes
                    .pingInterval(Duration.ofSeconds(5)).maxPingsOut(2);
            config.credentials().ifPresent(path -> options.authHandler(Nats.credentials(path)));
            try {
                connection = Nats.connectReconnectOnConnect(options.build());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to NATS at " + config.url(), e);
            }
            LOG.infof("connecting to NATS at %s", config.url());
        }
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new IOException("not connected to NATS at " + config.url() + " (" + connection.getStatus() + ")");
        }
        return connection.jetStreamManagement();
    }

    @PreDestroy
    synchronized void close() throws InterruptedException {
        if (connection != null) {
            connection.close();
        }
    }
}
