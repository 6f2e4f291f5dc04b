package dev.lambkin.gateway.deadletter;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.Names;
import dev.lambkin.gateway.async.AsyncEvent;
import dev.lambkin.gateway.async.EventQueue;
import dev.lambkin.gateway.auth.KubernetesAccess;
import dev.lambkin.gateway.auth.Permission;
import dev.lambkin.gateway.http.ApiError;
import dev.lambkin.gateway.http.ApiFallbacks;
import dev.lambkin.gateway.http.AccessGate;
import dev.lambkin.gateway.http.InvokeRoutes;
import dev.lambkin.gateway.invoke.RequestIds;
import dev.lambkin.gateway.nats.NatsClient;
import dev.lambkin.gateway.route.FunctionCatalog;
import dev.lambkin.gateway.route.FunctionKey;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The dead-letter queue API: look at a queue, page through its messages, get, delete or redrive one, redrive
 * a batch, purge. Redrive sends the original event to its function again as a new asynchronous event with the
 * same request id (fresh age and attempts), and removes the dead letter once the event is stored.
 */
@ApplicationScoped
public class DeadLetterRoutes {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DeadLetterRoutes.class);
    static final int MAX_PAGE = 100;
    static final int MAX_REDRIVE = 1000;
    /** A page stops growing past this many bytes of stored dead letters (each can hold a 1 MB event). */
    static final long MAX_PAGE_BYTES = 4L * 1024 * 1024;
    private static final String BASE = "/deadletterqueues/:namespace/:name";

    private final NatsClient nats;
    private final EventQueue events;
    private final FunctionCatalog catalog;
    private final ObjectMapper json;
    private final KubernetesAccess access;

    public DeadLetterRoutes(NatsClient nats, EventQueue events, FunctionCatalog catalog, ObjectMapper json,
            KubernetesAccess access) {
        this.access = access;
        this.nats = nats;
        this.events = events;
        this.catalog = catalog;
        this.json = json;
    }

    /** A queue named in a request, checked. */
    record Queue(String namespace, String name) {
        String stream() {
            return StreamNames.deadLetterStream(namespace, name);
        }

        String subject() {
            return StreamNames.deadLetterSubject(namespace, name);
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    void routes(@Observes Router router) {
        // the verbs a RoleBinding grants on deadletterqueues.lambkin.dev: get, purge (delete one or all), redrive
        router.get(BASE).handler(ctx -> blocking(ctx, "get", q -> summary(q)));
        router.get(BASE + "/messages").handler(ctx -> blocking(ctx, "get", q -> page(q, number(ctx, "after", 0, Long.MAX_VALUE, 0),
                (int) number(ctx, "limit", 1, MAX_PAGE, 20))));
        router.get(BASE + "/messages/:seq").handler(ctx -> blocking(ctx, "get", q -> one(q, sequence(ctx))));
        router.delete(BASE + "/messages/:seq").handler(ctx -> blocking(ctx, "purge", q -> delete(q, sequence(ctx))));
        router.delete(BASE + "/messages").handler(ctx -> blocking(ctx, "purge", q -> purge(q)));
        router.post(BASE + "/messages/:seq/redrive").handler(ctx -> blocking(ctx, "redrive", q -> redriveOne(q, sequence(ctx))));
        router.post(BASE + "/redrive").handler(ctx -> blocking(ctx, "redrive", q -> redriveMany(q,
                (int) number(ctx, "limit", 1, MAX_REDRIVE, 100))));
        ApiFallbacks.onlyThese(router, BASE, HttpMethod.GET);
        ApiFallbacks.onlyThese(router, BASE + "/messages", HttpMethod.GET, HttpMethod.DELETE);
        ApiFallbacks.onlyThese(router, BASE + "/messages/:seq", HttpMethod.GET, HttpMethod.DELETE);
        ApiFallbacks.onlyThese(router, BASE + "/messages/:seq/redrive", HttpMethod.POST);
        ApiFallbacks.onlyThese(router, BASE + "/redrive", HttpMethod.POST);
    }

    @FunctionalInterface
    interface Action {
        /** The answer: status and JSON body (null: no body). */
        Reply run(Queue q) throws Exception;
    }

    record Reply(int status, Object body) {
    }

    /** Validates the queue's name, runs the NATS calls off the event loop, answers JSON or the error. */
    private void blocking(RoutingContext ctx, String verb, Action action) {
        String ns = ctx.pathParam("namespace"), name = ctx.pathParam("name");
        if (!Names.isDnsLabel(ns) || !Names.isDnsLabel(name)) {
            InvokeRoutes.fail(ctx, ApiError.badRequest("namespace and queue name must be DNS labels: " + ns + "/" + name));
            return;
        }
        AccessGate.whenAllowed(ctx, access, Permission.deadLetters(verb, ns, name), () -> run(ctx, new Queue(ns, name), action));
    }

    private void run(RoutingContext ctx, Queue q, Action action) {
        Callable<Reply> work = () -> action.run(q);
        ctx.vertx().executeBlocking(work, false).onComplete(done -> {
            if (done.failed()) {
                InvokeRoutes.fail(ctx, error(q, done.cause()));
                return;
            }
            Reply r = done.result();
            var response = ctx.response().setStatusCode(r.status());
            if (r.body() == null) {
                response.end();
            } else {
                response.putHeader("Content-Type", "application/json").end(Json.encode(json, r.body()));
            }
        });
    }

    /** JetStream's API error codes: stream not found, no message found, message delete failed. */
    private static final int STREAM_NOT_FOUND = 10059, NO_MESSAGE = 10037, DELETE_FAILED = 10057;

    private static ApiError error(Queue q, Throwable t) {
        if (t instanceof ApiError e) {
            return e;
        }
        if (t instanceof JetStreamApiException e && e.getApiErrorCode() == STREAM_NOT_FOUND) {
            return ApiError.notFound("DeadLetterQueue " + q + " not found (or its stream is not provisioned yet)");
        }
        // a missing message is 404 on a read but 400 or 500 (delete failed) on a delete
        if (t instanceof JetStreamApiException e && (e.getErrorCode() == 404 || e.getApiErrorCode() == NO_MESSAGE
                || e.getApiErrorCode() == DELETE_FAILED)) {
            return ApiError.notFound("no such message in DeadLetterQueue " + q);
        }
        if (t instanceof IOException || t instanceof java.util.concurrent.TimeoutException
                || t instanceof java.util.concurrent.ExecutionException) {
            return ApiError.unavailable("DeadLetterStoreUnavailable", "the dead-letter store cannot be reached: " + t.getMessage());
        }
        String requestId = RequestIds.next();
        LOG.errorf(t, "dead-letter request %s on %s failed in the gateway", requestId, q);
        return ApiError.internal(requestId);
    }

    private Reply summary(Queue q) throws IOException, JetStreamApiException {
        StreamInfo info = nats.management().getStreamInfo(q.stream());
        JsonObject body = new JsonObject().put("queue", q.toString()).put("messages", info.getStreamState().getMsgCount());
        if (info.getStreamState().getMsgCount() > 0 && info.getStreamState().getFirstTime() != null) {
            body.put("oldestTime", info.getStreamState().getFirstTime().toInstant().toString());
        }
        return new Reply(200, body);
    }

    private Reply page(Queue q, long after, int limit) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nats.management();
        StreamInfo info = jsm.getStreamInfo(q.stream());
        JsonArray messages = new JsonArray();
        long seq = after;
        Long next = null;
        long bytes = 0;
        long last = info.getStreamState().getLastSequence();
        while (seq < last) {
            MessageInfo m;
            try {
                m = jsm.getNextMessage(q.stream(), seq + 1, q.subject());
            } catch (JetStreamApiException e) {
                if (e.getErrorCode() == 404) {
                    break; // nothing after seq
                }
                throw e;
            }
            long size = m.getData() == null ? 0 : m.getData().length;
            if (messages.size() == limit || (!messages.isEmpty() && bytes + size > MAX_PAGE_BYTES)) {
                next = seq; // there is more: the next page starts after the last one shown
                break;
            }
            bytes += size;
            messages.add(render(m));
            seq = m.getSeq();
        }
        return new Reply(200, new JsonObject().put("queue", q.toString()).put("messages", messages)
                .put("total", info.getStreamState().getMsgCount()).put("next", next));
    }

    private Reply one(Queue q, long seq) throws IOException, JetStreamApiException {
        return new Reply(200, render(nats.management().getMessage(q.stream(), seq)));
    }

    private Reply delete(Queue q, long seq) throws IOException, JetStreamApiException {
        nats.management().deleteMessage(q.stream(), seq);
        return new Reply(204, null);
    }

    private Reply purge(Queue q) throws IOException, JetStreamApiException {
        return new Reply(200, new JsonObject().put("purged", nats.management().purgeStream(q.stream()).getPurged()));
    }

    private Reply redriveOne(Queue q, long seq) throws Exception {
        MessageInfo m = nats.management().getMessage(q.stream(), seq);
        String requestId = redrive(q, m);
        return new Reply(202, new JsonObject().put("sequence", seq).put("requestId", requestId));
    }

    /** Up to limit dead letters, oldest first; the ones that cannot go back (function gone) stay and are listed. */
    private Reply redriveMany(Queue q, int limit) throws Exception {
        JetStreamManagement jsm = nats.management();
        long seq = 0;
        int redriven = 0;
        JsonArray failed = new JsonArray();
        while (redriven + failed.size() < limit) {
            MessageInfo m;
            try {
                m = jsm.getNextMessage(q.stream(), seq + 1, q.subject());
            } catch (JetStreamApiException e) {
                if (e.getErrorCode() == 404) {
                    break;
                }
                throw e;
            }
            seq = m.getSeq();
            try {
                redrive(q, m);
                redriven++;
            } catch (ApiError e) {
                failed.add(new JsonObject().put("sequence", seq).put("message", e.getMessage()));
            }
        }
        long remaining = jsm.getStreamInfo(q.stream()).getStreamState().getMsgCount();
        return new Reply(200, new JsonObject().put("redriven", redriven).put("failed", failed).put("remaining", remaining));
    }

    /** The event back into the events stream, then the dead letter out of the queue. */
    private String redrive(Queue q, MessageInfo m) throws Exception {
        DeadLetter letter = letter(q, m);
        if (!q.namespace().equals(letter.namespace()) || !Names.isDnsLabel(letter.function())) {
            throw ApiError.badRequest("message " + m.getSeq() + " of " + q + " is not a dead letter of this namespace");
        }
        FunctionKey key = new FunctionKey(letter.namespace(), letter.function());
        if (catalog.get(key).isEmpty()) {
            throw ApiError.notFound("Function " + key + " no longer exists; message " + m.getSeq() + " stays in " + q);
        }
        byte[] event = letter.event() == null ? new byte[0] : json.writeValueAsBytes(letter.event());
        events.publish(AsyncEvent.accepted(letter.requestId(), key, event, Instant.now(), letter.traceparent())
                .redriven(Instant.now())).toCompletableFuture().get(10, TimeUnit.SECONDS);
        nats.management().deleteMessage(q.stream(), m.getSeq());
        return letter.requestId();
    }

    private DeadLetter letter(Queue q, MessageInfo m) {
        try {
            return json.readValue(m.getData(), DeadLetter.class);
        } catch (IOException e) {
            throw ApiError.badRequest("message " + m.getSeq() + " of " + q + " is not a dead letter: " + e.getMessage());
        }
    }

    private JsonObject render(MessageInfo m) {
        JsonObject o = new JsonObject().put("sequence", m.getSeq())
                .put("storedTime", m.getTime() == null ? null : m.getTime().toInstant().toString());
        try {
            o.put("deadLetter", new JsonObject(new String(m.getData(), java.nio.charset.StandardCharsets.UTF_8)));
        } catch (RuntimeException notJson) {
            o.put("raw", new String(m.getData(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return o;
    }

    private static long sequence(RoutingContext ctx) {
        return number(ctx, "seq", 1, Long.MAX_VALUE, -1);
    }

    /** A path or query number within bounds; a 400 naming it otherwise. */
    private static long number(RoutingContext ctx, String name, long min, long max, long fallback) {
        String v = ctx.pathParam(name) != null ? ctx.pathParam(name) : ctx.queryParams().get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest(name + " must be a whole number from " + min + " to " + max + ", not " + v);
    }


    /** Encodes Vert.x JSON as is and anything else with Jackson. */
    static final class Json {
        private Json() {
        }

        static String encode(ObjectMapper mapper, Object body) {
            if (body instanceof JsonObject o) {
                return o.encode();
            }
            try {
                return mapper.writeValueAsString(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
