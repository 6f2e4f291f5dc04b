package dev.lambkin.api.streams;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * How the operator and the gateway connect to NATS: in the background (nothing waits for NATS, at start-up or
 * later), reconnecting for ever, noticing a replaced server within seconds, and telling the caller of each state
 * change once rather than once per failed reconnect attempt.
 */
public final class NatsConnector {
    private static final Logger LOG = Logger.getLogger(NatsConnector.class.getName());

    private NatsConnector() {
    }

    /** onChange gets the connection and the new state each time the state changes; the caller logs it. */
    public static void connect(String url, String connectionName, Optional<String> credentials, Duration reconnectWait,
            BiConsumer<Connection, ConnectionListener.Events> onChange) throws InterruptedException {
        AtomicReference<ConnectionListener.Events> last = new AtomicReference<>();
        Options.Builder options = Options.builder().server(url).connectionName(connectionName)
                .maxReconnects(-1).reconnectWait(reconnectWait).connectionTimeout(Duration.ofSeconds(3))
                // a connection that stops answering (a server killed and replaced) is noticed in seconds, not minutes
                .pingInterval(Duration.ofSeconds(5)).maxPingsOut(2)
                // a NATS that is down is a state change, not a stack trace per reconnect attempt
                .errorListener(new ErrorListener() {
                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        LOG.log(Level.FINE, "NATS {0}: {1}", new Object[] {url, exp});
                    }
                })
                .connectionListener((conn, type) -> {
                    if (last.getAndSet(type) != type) {
                        onChange.accept(conn, type);
                    }
                });
        credentials.ifPresent(path -> options.authHandler(Nats.credentials(path)));
        Nats.connectAsynchronously(options.build(), true);
    }
}
