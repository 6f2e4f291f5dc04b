package dev.lambkin.gateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.lambkin.testing.TestCluster;

/**
 * One of this build's Quarkus applications (operator or gateway) run from its jar as a process of its own, so
 * a test can kill it with SIGKILL and start it again. Its output is appended to target/{name}-it.log.
 */
final class JavaApp {
    private final String name;
    private final Path jar;
    private final List<String> properties;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    JavaApp(String name, String module, List<String> properties, Map<String, String> env) {
        this.name = name;
        this.jar = TestCluster.projectRoot().resolve(module + "/target/quarkus-app/quarkus-run.jar");
        this.properties = properties;
        this.env = env;
        this.log = Path.of("target", name + "-it.log").toAbsolutePath();
    }

    /** Starts the process, unless it runs already. */
    synchronized JavaApp start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build it first (mvn package): " + jar + " is missing");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(properties);
        cmd.addAll(List.of("-jar", jar.toString()));
        try {
            long from = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            process = pb.start();
            Process started = process;
            // even if the test JVM ends without stopping it
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
            awaitStarted(from);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
        return this;
    }

    /** Until Quarkus' last start-up line appears after offset; fails with the log's tail if the process exits first. */
    private void awaitStarted(long offset) throws IOException {
        long until = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < until) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            String since = text.length() > offset ? text.substring((int) offset) : "";
            if (since.contains("Listening on") && process.isAlive()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n"
                        + since.substring(Math.max(0, since.length() - 4000)));
            }
            try {
                Thread.sleep(200); // polling a log file for a line: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " did not start within 90 s; see " + log);
    }

    /** SIGKILL: no shutdown hooks, no draining, no goodbye to NATS. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended within 15 s. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
