package dev.lambkin.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The runtime contract's HTTP server (the JDK's, on virtual threads: a blocking handler per invocation costs
 * a few KB, and the JDK server starts in milliseconds, which is most of a Java function's cold start).
 */
public final class RuntimeServer implements AutoCloseable {
    /** Largest event accepted: the gateway's sync limit (6 MB), with room for JSON framing. */
    static final int MAX_EVENT_BYTES = 6 * 1024 * 1024 + 1024;

    private final HttpServer server;
    private final Handler<Object, Object> handler;
    private final JavaType inputType;
    private final ObjectMapper json;
    private final Settings settings;
    private final Clock clock;
    private final PrintStream out;

    /** The function's settings, from the environment the operator gives its pods. */
    record Settings(String functionName, String functionNamespace, long memorySizeMb, int timeoutSeconds) {
        static Settings fromEnvironment(Map<String, String> env) {
            return new Settings(env.getOrDefault("LAMBKIN_FUNCTION_NAME", "function"),
                    env.getOrDefault("LAMBKIN_FUNCTION_NAMESPACE", "default"),
                    parseLong(env.get("LAMBKIN_MEMORY_SIZE_MB"), 0),
                    (int) parseLong(env.get("LAMBKIN_TIMEOUT_SECONDS"), 3));
        }

        private static long parseLong(String s, long fallback) {
            try {
                return s == null ? fallback : Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }

    @SuppressWarnings("unchecked")
    RuntimeServer(Handler<?, ?> handler, JavaType inputType, ObjectMapper json, Settings settings, int port, Clock clock,
            PrintStream out) throws IOException {
        this.handler = (Handler<Object, Object>) handler;
        this.inputType = inputType;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
        this.out = out;
        this.server = HttpServer.create(new InetSocketAddress(port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serve);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"/".equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, Map.of(), error("NotFound", "the runtime serves POST / only"));
                return;
            }
            if ("GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 200, Map.of(), "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, Map.of("Allow", "GET, POST"), error("MethodNotAllowed", "invoke with POST /"));
                return;
            }
            invoke(exchange);
        }
    }

    private void invoke(HttpExchange exchange) throws IOException {
        var h = exchange.getRequestHeaders();
        String requestId = orElse(h.getFirst(Contract.REQUEST_ID), UUID.randomUUID().toString());
        Instant deadline = deadline(h.getFirst(Contract.DEADLINE_MS));
        FunctionLogger logger = new FunctionLogger(requestId, out);
        InvocationContext context = new InvocationContext(requestId,
                orElse(h.getFirst(Contract.FUNCTION_NAME), settings.functionName()), settings.functionNamespace(),
                orElse(h.getFirst(Contract.INVOCATION_TYPE), "RequestResponse"), attempt(h.getFirst(Contract.ATTEMPT)),
                deadline, settings.memorySizeMb(), h.getFirst(Contract.TRACEPARENT), logger, clock);

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Contract.REQUEST_ID, requestId);
        byte[] body;
        try {
            byte[] raw = readBounded(exchange.getRequestBody());
            Object event = raw.length == 0 ? null : json.readValue(raw, inputType);
            body = json.writeValueAsBytes(handler.handle(event, context));
        } catch (EventTooLarge e) {
            respond(exchange, 413, headers, error("RequestTooLarge", e.getMessage()));
            return;
        } catch (FunctionError e) {
            headers.put(Contract.FUNCTION_ERROR, "Handled");
            body = error(e.errorType(), e.getMessage());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            headers.put(Contract.FUNCTION_ERROR, "Unhandled");
            body = error("InvalidEvent", "the event is not valid JSON for " + inputType.getTypeName() + ": "
                    + e.getOriginalMessage());
        } catch (Exception | StackOverflowError e) {
            headers.put(Contract.FUNCTION_ERROR, "Unhandled");
            logger.log("ERROR " + e);
            body = error(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        }
        MemoryUsage.peakBytes().ifPresent(b -> headers.put(Contract.MAX_MEMORY_USED, Long.toString(b)));
        if ("Tail".equalsIgnoreCase(h.getFirst(Contract.LOG_TYPE))) {
            headers.put(Contract.LOG_RESULT, Base64.getEncoder().encodeToString(logger.tail()));
        }
        respond(exchange, 200, headers, body);
    }

    private Instant deadline(String header) {
        try {
            if (header != null) {
                return Instant.ofEpochMilli(Long.parseLong(header.trim()));
            }
        } catch (NumberFormatException e) {
            // fall through to the function's own timeout
        }
        return clock.instant().plusSeconds(settings.timeoutSeconds());
    }

    private static int attempt(String header) {
        try {
            return header == null ? 1 : Math.max(1, Integer.parseInt(header.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private byte[] error(String type, String message) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("errorType", type);
        e.put("errorMessage", message);
        try {
            return json.writeValueAsBytes(e);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] data = in.readNBytes(MAX_EVENT_BYTES + 1);
        if (data.length > MAX_EVENT_BYTES) {
            throw new EventTooLarge("the event is larger than " + MAX_EVENT_BYTES + " bytes");
        }
        return data;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static final class EventTooLarge extends IOException {
        EventTooLarge(String message) {
            super(message);
        }
    }
}
