package dev.lambkin.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real NATS server with JetStream (the binary hack/test.sh builds), one per test JVM, on loopback, with its
 * file store under target/. Tests may kill it (SIGKILL) and start it again on the same port and store, which is
 * what a NATS restart under load looks like to the gateway.
 */
public final class NatsServer {
    private static NatsServer shared;
    private final Path binary;
    private final Path store;
    private final Path log;
    private final int port;
    private Process process;

    private NatsServer(Path binary, Path store, int port) {
        this.binary = binary;
        this.store = store;
        this.port = port;
        this.log = store.resolveSibling(store.getFileName() + ".log");
    }

    /** The JVM's server, started on first use. */
    public static synchronized NatsServer shared() {
        if (shared == null) {
            shared = startPrivate();
        }
        return shared;
    }

    /** A server of the caller's own (a fault test that kills it must not take the other tests' server down). */
    public static NatsServer startPrivate() {
        String version = System.getenv().getOrDefault("NATS_VERSION", "v2.15.2");
        Path binary = Path.of(System.getenv().getOrDefault("LAMBKIN_NATS_SERVER",
                "/var/cache/lambkin/nats/" + version + "/nats-server"));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: hack/test.sh builds it (need_nats in hack/lib/common.sh)");
        }
        int port = freePort();
        NatsServer s = new NatsServer(binary, Path.of("target", "nats-" + port).toAbsolutePath(), port);
        s.start();
        Runtime.getRuntime().addShutdownHook(new Thread(s::kill));
        return s;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(store);
            // as the chart configures it: a 1 MiB event plus its headers must fit in one message
            Path config = store.resolveSibling(store.getFileName() + ".conf");
            Files.writeString(config, "max_payload: 4MB\n");
            process = new ProcessBuilder(List.of(binary.toString(), "-c", config.toString(), "--jetstream",
                    "--store_dir", store.toString(), "--addr", "127.0.0.1", "--port", Integer.toString(port),
                    "--server_name", "lambkin-test"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary, e);
        }
        TestCluster.await(Duration.ofSeconds(30)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server exited with " + process.exitValue() + "; see " + log);
            }
            return listening();
        });
    }

    /** SIGKILL: no chance to flush or say goodbye to clients. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
