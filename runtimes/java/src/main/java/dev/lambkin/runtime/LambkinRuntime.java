package dev.lambkin.runtime;

import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.lambkin.contract.Contract;

/**
 * Starts a function. In {@code main}: {@code LambkinRuntime.start(new MyHandler(), MyEvent.class);} — it serves
 * on {@code LAMBKIN_PORT} (default 8080) until the process ends. On SIGTERM it drains (invocations in flight
 * finish, within the function's timeout + 1 s); after an invocation outlives its deadline the process ends with
 * exit code 124 once nothing else runs in it.
 */
public final class LambkinRuntime {
    private LambkinRuntime() {
    }

    /**
     * Serves the handler on LAMBKIN_PORT and prints how long start-up took (the function's init duration).
     *
     * <p>With LAMBKIN_AOT_TRAINING=1 it is a training run for the JDK's AOT cache instead (an image build runs
     * it with -XX:AOTCacheOutput): it serves on a free port, invokes itself a few times with
     * LAMBKIN_AOT_TRAINING_EVENT (default {}) and returns, so the classes an invocation needs are in the cache.
     */
    public static <I, O> RuntimeServer start(Handler<I, O> handler, Type inputType) throws IOException {
        if ("1".equals(System.getenv("LAMBKIN_AOT_TRAINING"))) {
            train(handler, inputType, System.getenv().getOrDefault("LAMBKIN_AOT_TRAINING_EVENT", "{}"));
            return null;
        }
        int port = Integer.parseInt(System.getenv().getOrDefault("LAMBKIN_PORT", "8080"));
        RuntimeServer server = serve(handler, inputType, port);
        // Kubernetes sends SIGTERM and waits terminationGracePeriodSeconds: use it to finish what was started
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("lambkin-drain").unstarted(server::drain));
        long initMs = System.currentTimeMillis() - ProcessHandle.current().info().startInstant()
                .map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis());
        System.out.println("lambkin runtime listening on :" + server.port() + " (init " + initMs + " ms)");
        return server;
    }

    static <I, O> void train(Handler<I, O> handler, Type inputType, String event) throws IOException {
        try (RuntimeServer server = serve(handler, inputType, 0);
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/"))
                    .header(Contract.REQUEST_ID, "aot-training").header(Contract.LOG_TYPE, "Tail")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event)).build();
            for (int i = 0; i < 20; i++) {
                http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("lambkin runtime: AOT training run done");
    }

    /**
     * Serves the handler on a port (0: any free one); for tests and embedding. An invocation that outlives its
     * deadline ends the process (with {@code Runtime.halt}: a runaway handler cannot hold it up).
     */
    public static <I, O> RuntimeServer serve(Handler<I, O> handler, Type inputType, int port) throws IOException {
        return serve(handler, inputType, port, RuntimeServer.Settings.fromEnvironment(System.getenv()), System.out,
                () -> Runtime.getRuntime().halt(RuntimeServer.TIMED_OUT_EXIT_CODE));
    }

    /** As {@link #serve(Handler, Type, int)}, with the settings, output and process end given (tests). */
    static <I, O> RuntimeServer serve(Handler<I, O> handler, Type inputType, int port, RuntimeServer.Settings settings,
            java.io.PrintStream out, Runnable halt) throws IOException {
        ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
        return new RuntimeServer(handler, json.getTypeFactory().constructType(inputType), json, settings, port,
                Clock.systemUTC(), out, halt);
    }
}
