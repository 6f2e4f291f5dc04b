package dev.lambkin.runtime;

import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Starts a function. In {@code main}: {@code LambkinRuntime.start(new MyHandler(), MyEvent.class);} — it serves
 * on {@code LAMBKIN_PORT} (default 8080) until the process ends.
 */
public final class LambkinRuntime {
    private LambkinRuntime() {
    }

    /** Serves the handler on LAMBKIN_PORT and prints how long start-up took (the function's init duration). */
    public static <I, O> RuntimeServer start(Handler<I, O> handler, Type inputType) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("LAMBKIN_PORT", "8080"));
        RuntimeServer server = serve(handler, inputType, port);
        long initMs = System.currentTimeMillis() - ProcessHandle.current().info().startInstant()
                .map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis());
        System.out.println("lambkin runtime listening on :" + server.port() + " (init " + initMs + " ms)");
        return server;
    }

    /** Serves the handler on a port (0: any free one); for tests and embedding. */
    public static <I, O> RuntimeServer serve(Handler<I, O> handler, Type inputType, int port) throws IOException {
        ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
        return new RuntimeServer(handler, json.getTypeFactory().constructType(inputType), json,
                RuntimeServer.Settings.fromEnvironment(System.getenv()), port, Clock.systemUTC(), System.out);
    }
}
