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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.lambkin.contract.Contract;

/**
 * The runtime contract's HTTP server (the JDK's, on virtual threads: a blocking handler per invocation costs
 * a few KB, and the JDK server starts in milliseconds, which is most of a Java function's cold start).
 *
 * <p>It keeps Lambda's promises about an instance's end: {@link #drain()} (the SIGTERM hook) lets invocations in
 * flight finish and takes no new one; an invocation still running past its deadline is interrupted, the instance
 * takes no new invocation, and once nothing else runs in it the process ends, so a runaway handler cannot keep
 * a broken instance (its threads, locks, memory) serving.
 */
public final class RuntimeServer implements AutoCloseable {
    /** Largest event accepted: the gateway's sync limit (6 MB), with room for JSON framing. */
    static final int MAX_EVENT_BYTES = Contract.MAX_RESPONSE_BYTES + 1024;
    /** How long past its deadline an invocation may run before it counts as timed out (clocks and the network). */
    static final long DEADLINE_MARGIN_MS = 200;
    /** The exit code after a timeout: timeout(1)'s. */
    static final int TIMED_OUT_EXIT_CODE = 124;

    private final HttpServer server;
    private final Handler<Object, Object> handler;
    private final JavaType inputType;
    private final ObjectMapper json;
    private final Settings settings;
    private final Clock clock;
    private final PrintStream out;
    private final Runnable halt;
    /**
     * Fires when an invocation's deadline passes: one thread for all of them. A platform thread, because handlers
     * run on virtual threads and a few spinning ones can occupy every carrier thread.
     */
    private final ScheduledThreadPoolExecutor deadlines;
    private final Set<Invocation> running = ConcurrentHashMap.newKeySet();
    /** Admitted invocations whose handler has not returned yet, and those that have: the drain's account. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder finished = new LongAdder();
    private final AtomicBoolean halted = new AtomicBoolean();
    private volatile boolean draining;
    private volatile boolean timedOut;

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

    /** One invocation in flight; whichever of finishing and timing out comes first wins. */
    private static final class Invocation {
        private static final int RUNNING = 0, DONE = 1, EXPIRED = 2;
        final String requestId;
        final Thread thread;
        final FunctionLogger logger;
        final AtomicInteger state = new AtomicInteger(RUNNING);
        volatile ScheduledFuture<?> watch;

        Invocation(String requestId, Thread thread, FunctionLogger logger) {
            this.requestId = requestId;
            this.thread = thread;
            this.logger = logger;
        }

        /**
         * False when the deadline won: the result comes too late. Locked with {@link #expire}, so once this
         * returns no interrupt of ours is still on its way to the thread.
         */
        synchronized boolean finish() {
            return state.compareAndSet(RUNNING, DONE);
        }

        /** Unless it has finished: marks it timed out, logs why (before the handler can react) and interrupts it. */
        synchronized boolean expire(String message) {
            if (!state.compareAndSet(RUNNING, EXPIRED)) {
                return false;
            }
            logger.log(message);
            thread.interrupt();
            return true;
        }

        boolean expired() {
            return state.get() == EXPIRED;
        }
    }

    /**
     * @param halt ends the process at once, when a timed-out invocation leaves nothing else running
     *             ({@code Runtime.halt(124)} in a function; tests pass a recorder)
     */
    @SuppressWarnings("unchecked")
    RuntimeServer(Handler<?, ?> handler, JavaType inputType, ObjectMapper json, Settings settings, int port, Clock clock,
            PrintStream out, Runnable halt) throws IOException {
        this.handler = (Handler<Object, Object>) handler;
        this.inputType = inputType;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
        this.out = out;
        this.halt = halt;
        this.deadlines = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().name("lambkin-deadlines").daemon().unstarted(r));
        deadlines.setRemoveOnCancelPolicy(true); // most invocations finish in time: drop their timers at once
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
        deadlines.shutdownNow();
    }

    /**
     * Stops gracefully (the shutdown hook's job on SIGTERM): the listening socket closes, new invocations on
     * connections already open are refused, and invocations in flight get until the function's timeout + 1 s
     * to finish. Returns when they have, or when that time is up.
     */
    public void drain() {
        draining = true;
        long before = finished.sum();
        out.println("lambkin runtime: draining, " + inFlight.get() + " invocation(s) in flight");
        Invocation exiting = exitingInvocation();
        if (exiting != null) {
            // the handler that called System.exit waits for this hook: waiting for it would only delay the exit
            out.println("lambkin runtime: " + exiting.requestId + " called System.exit; not waiting for invocations");
            server.stop(0);
        } else {
            server.stop(settings.timeoutSeconds() + 1);
        }
        deadlines.shutdownNow();
        int left = inFlight.get();
        out.println("lambkin runtime: drained, " + (finished.sum() - before) + " invocation(s) finished"
                + (left == 0 ? "" : ", " + left + " cut off"));
        out.flush();
    }

    /** New invocations are refused once the instance drains or an invocation has timed out. */
    private boolean accepting() {
        return !draining && !timedOut;
    }

    /** An invocation whose thread is inside System.exit (the JDK runs shutdown hooks while that call waits). */
    private Invocation exitingInvocation() {
        for (Invocation call : running) {
            for (StackTraceElement frame : call.thread.getStackTrace()) {
                if ("java.lang.Shutdown".equals(frame.getClassName())) {
                    return call;
                }
            }
        }
        return null;
    }

    /** The deadline's timer: the invocation is still running well past it. */
    private void expire(Invocation call) {
        if (!call.expire(Contract.timedOutMessage(settings.timeoutSeconds()))) {
            return; // it finished just now
        }
        timedOut = true; // before the check in haltIfIdle, which invoke() relies on
        haltIfIdle();
    }

    /** After a timeout, ends the process once only timed-out (runaway) invocations are left. */
    private void haltIfIdle() {
        if (!timedOut || running.stream().anyMatch(call -> !call.expired())) {
            return;
        }
        if (halted.compareAndSet(false, true)) {
            out.println("lambkin runtime: ending the process after a timed-out invocation");
            out.flush();
            halt.run();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"/".equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, Map.of(), error("NotFound", "the runtime serves POST / only"));
                return;
            }
            if ("GET".equals(exchange.getRequestMethod())) {
                if (!accepting()) { // a readiness probe on GET / sees the instance is going
                    refuse(exchange);
                    return;
                }
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
        FunctionLogger logger = new FunctionLogger(requestId, out);
        Invocation call = new Invocation(requestId, Thread.currentThread(), logger);
        // registered before the check, so a timeout's haltIfIdle either sees this call or this call sees the timeout
        running.add(call);
        boolean admitted = false;
        boolean settled = false;
        try {
            if (!accepting()) {
                refuse(exchange);
                return;
            }
            admitted = true;
            inFlight.incrementAndGet();
            Instant deadline = deadline(h.getFirst(Contract.DEADLINE_MS));
            try {
                call.watch = deadlines.schedule(() -> expire(call),
                        Math.max(0, deadline.toEpochMilli() - clock.millis()) + DEADLINE_MARGIN_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the server is closing under this call: nothing is left to protect
            }
            Answer answer = run(exchange, call, deadline);
            // counted before the response: writing it is what lets a drain's HttpServer.stop return
            settled = settle();
            respond(exchange, answer.status(), answer.headers(), answer.body());
        } finally {
            if (admitted && !settled) {
                settle();
            }
            // only now, with the response written: a halt must not cut off a call that finished in time
            running.remove(call);
            ScheduledFuture<?> watch = call.watch;
            if (watch != null) {
                watch.cancel(false);
            }
            haltIfIdle();
        }
    }

    private boolean settle() {
        inFlight.decrementAndGet();
        finished.increment();
        return true;
    }

    private record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private Answer run(HttpExchange exchange, Invocation call, Instant deadline) throws IOException {
        var h = exchange.getRequestHeaders();
        FunctionLogger logger = call.logger;
        InvocationContext context = new InvocationContext(call.requestId,
                orElse(h.getFirst(Contract.FUNCTION_NAME), settings.functionName()), settings.functionNamespace(),
                orElse(h.getFirst(Contract.INVOCATION_TYPE), "RequestResponse"), attempt(h.getFirst(Contract.ATTEMPT)),
                deadline, settings.memorySizeMb(), h.getFirst(Contract.TRACEPARENT), logger, clock);

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Contract.REQUEST_ID, call.requestId);
        byte[] body;
        try {
            byte[] raw = readBounded(exchange.getRequestBody());
            Object event = raw.length == 0 ? null : json.readValue(raw, inputType);
            body = json.writeValueAsBytes(handler.handle(event, context));
        } catch (EventTooLarge e) {
            call.finish();
            return new Answer(413, headers, error("RequestTooLarge", e.getMessage()));
        } catch (FunctionError e) {
            headers.put(Contract.FUNCTION_ERROR, Contract.HANDLED);
            body = error(e.errorType(), e.getMessage());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            headers.put(Contract.FUNCTION_ERROR, Contract.UNHANDLED);
            body = error("InvalidEvent", "the event is not valid JSON for " + inputType.getTypeName() + ": "
                    + e.getOriginalMessage());
        } catch (Exception | StackOverflowError e) {
            headers.put(Contract.FUNCTION_ERROR, Contract.UNHANDLED);
            logger.log("ERROR " + e);
            body = error(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        }
        boolean inTime = call.finish();
        // a pending interrupt (ours after a timeout, or the handler's own) would close the socket under the response
        Thread.interrupted();
        if (!inTime) { // the deadline passed first; the caller has likely gone, but say what happened
            headers.put(Contract.FUNCTION_ERROR, Contract.UNHANDLED);
            body = error(Contract.TIMED_OUT, Contract.timedOutMessage(settings.timeoutSeconds()));
        }
        MemoryUsage.peakBytes().ifPresent(b -> headers.put(Contract.MAX_MEMORY_USED, Long.toString(b)));
        if ("Tail".equalsIgnoreCase(h.getFirst(Contract.LOG_TYPE))) {
            headers.put(Contract.LOG_RESULT, Base64.getEncoder().encodeToString(logger.tail()));
        }
        return new Answer(200, headers, body);
    }

    /** 503 while the instance drains or ends after a timeout: the caller should go to another instance. */
    private void refuse(HttpExchange exchange) throws IOException {
        respond(exchange, 503, new LinkedHashMap<>(), error(Contract.UNAVAILABLE, draining
                ? "the instance is shutting down" : "the instance is ending after a timed-out invocation"));
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

    private void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (!accepting()) {
            // the JDK server keeps serving requests on open keep-alive connections while it stops: close them
            exchange.getResponseHeaders().set("Connection", "close");
        }
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
