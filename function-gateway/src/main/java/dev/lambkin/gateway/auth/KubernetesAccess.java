package dev.lambkin.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import dev.lambkin.gateway.GatewayConfig;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Who may invoke, the Kubernetes way: the bearer token goes to a TokenReview, the identity it names to a
 * SubjectAccessReview for the {@link Permission}. Both answers are cached for a few seconds, positive and negative,
 * so a warm call pays no round trip and a revoked RoleBinding stops working within the cache's lifetime. The API
 * server's calls run off the event loop, bounded in time: a slow API server is a 503, never a hang or a guess.
 * With {@code lambkin.gateway.auth.mode=none} every request is allowed (a trusted network only).
 */
@Singleton
public class KubernetesAccess {
    private static final Logger LOG = Logger.getLogger(KubernetesAccess.class);
    static final Access.Identity ANONYMOUS = new Access.Identity("system:anonymous", "", List.of("system:unauthenticated"), Map.of());

    /** A token's review: the identity, or why it was refused. */
    private record Review(Access.Identity identity, String refusal) {
    }

    private record Question(Access.Identity who, Permission what) {
    }

    private final KubernetesClient client;
    private final Vertx vertx;
    private final boolean enabled;
    private final long timeoutMillis;
    private final AccessCache<String, Review> tokens;
    private final AccessCache<Question, String> decisions; // "" allowed, else the reason it is not
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    /** Reviews in flight at once: a flood of unknown tokens gets 503s, not an unbounded pile of API calls. */
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_REVIEWS_IN_FLIGHT);
    /** A token being reviewed: concurrent first calls with it share one TokenReview. */
    private final Map<String, Future<Object>> reviewing = new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_REVIEWS_IN_FLIGHT = 64;

    public KubernetesAccess(KubernetesClient client, Vertx vertx, GatewayConfig config) {
        this.client = client;
        this.vertx = vertx;
        this.enabled = config.auth().mode() == GatewayConfig.Auth.Mode.kubernetes;
        this.timeoutMillis = config.auth().timeout().toMillis();
        long ttl = config.auth().cacheTtl().toMillis();
        this.tokens = new AccessCache<>(ttl, config.auth().cacheSize(), System::currentTimeMillis);
        this.decisions = new AccessCache<>(ttl, config.auth().cacheSize(), System::currentTimeMillis);
        if (!enabled) {
            LOG.warn("invocation needs no permission (lambkin.gateway.auth.mode=none): anyone who reaches the gateway may "
                    + "invoke any function and read or purge any dead-letter queue");
        }
    }

    @PreDestroy
    void close() {
        blocking.shutdownNow();
    }

    public boolean enabled() {
        return enabled;
    }

    /** Completes on the caller's Vert.x context; never fails. */
    public Future<Access> check(String authorization, Permission permission) {
        if (!enabled) {
            return Future.succeededFuture(new Access.Allowed(ANONYMOUS));
        }
        return authenticate(authorization).compose(a -> a instanceof Access.Allowed allowed ? authorize(allowed.who(), permission)
                : Future.succeededFuture(a));
    }

    /** Who the bearer token is: Allowed(identity), Unauthenticated or Unavailable. Never fails. */
    public Future<Access> authenticate(String authorization) {
        String token = bearer(authorization);
        if (token == null) {
            return Future.succeededFuture(new Access.Unauthenticated(authorization == null
                    ? "this request needs Authorization: Bearer <token> (a Kubernetes ServiceAccount token, e.g. kubectl create token)"
                    : "the Authorization header must be Bearer <token>"));
        }
        String tokenKey = sha256(token);
        Review review = tokens.get(tokenKey);
        if (review != null) {
            return Future.succeededFuture(identified(review));
        }
        return here(reviewOnce(tokenKey, token)).map(r -> {
            if (r instanceof Review fresh) {
                tokens.put(tokenKey, fresh);
                return identified(fresh);
            }
            return (Access) r;
        });
    }

    private static Access identified(Review review) {
        return review.identity() == null ? new Access.Unauthenticated(review.refusal()) : new Access.Allowed(review.identity());
    }

    /** One TokenReview per token at a time: callers with the same new token share it. */
    private Future<Object> reviewOnce(String tokenKey, String token) {
        Promise<Object> mine = Promise.promise();
        Future<Object> pending = reviewing.putIfAbsent(tokenKey, mine.future());
        if (pending != null) {
            return pending;
        }
        blocking(() -> review(token)).onComplete(done -> {
            reviewing.remove(tokenKey, mine.future());
            mine.handle(done);
        });
        return mine.future();
    }

    /** A future shared between callers completes on the context of whoever asked, not of whoever asked first. */
    private <T> Future<T> here(Future<T> f) {
        if (f.isComplete()) {
            return f;
        }
        Context context = vertx.getOrCreateContext();
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
        return p.future();
    }

    /** Whether a known identity may: Allowed, Forbidden or Unavailable (SubjectAccessReview, cached). Never fails. */
    public Future<Access> authorize(Access.Identity who, Permission permission) {
        Question q = new Question(who, permission);
        String known = decisions.get(q);
        if (known != null) {
            return Future.succeededFuture(answer(q, known));
        }
        return blocking(() -> authorize(q)).map(r -> {
            if (r instanceof String reason) {
                decisions.put(q, reason);
                return answer(q, reason);
            }
            return (Access) r;
        });
    }

    private static Access answer(Question q, String reason) {
        if (reason.isEmpty()) {
            return new Access.Allowed(q.who());
        }
        return new Access.Forbidden("User \"" + q.who().username() + "\" cannot " + q.what()
                + (reason.isBlank() ? "" : ": " + reason));
    }

    /** A Review, or an Access.Unavailable. */
    private Object review(String token) {
        TokenReview tr = client.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build()).create();
        var status = tr.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
            String why = status != null && status.getError() != null && !status.getError().isBlank() ? status.getError() : "not accepted";
            return new Review(null, "the bearer token was not accepted by the Kubernetes API server (" + why + ")");
        }
        var u = status.getUser();
        return new Review(new Access.Identity(u.getUsername(), u.getUid() == null ? "" : u.getUid(),
                u.getGroups() == null ? List.of() : List.copyOf(u.getGroups()),
                u.getExtra() == null ? Map.of() : Map.copyOf(u.getExtra())), null);
    }

    /** "" when allowed, else the API server's reason (possibly blank); or an Access.Unavailable. */
    private Object authorize(Question q) {
        Permission p = q.what();
        SubjectAccessReview sar = client.resource(new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(q.who().username()).withUid(q.who().uid().isEmpty() ? null : q.who().uid())
                .withGroups(q.who().groups()).withExtra(q.who().extra())
                .withNewResourceAttributes().withGroup(Permission.GROUP).withResource(p.resource()).withVerb(p.verb())
                .withNamespace(p.namespace()).withName(p.name()).endResourceAttributes()
                .endSpec().build()).create();
        var status = sar.getStatus();
        if (status != null && Boolean.TRUE.equals(status.getAllowed())) {
            return "";
        }
        String reason = status == null || status.getReason() == null ? "" : status.getReason();
        return reason.isEmpty() ? " " : reason;
    }

    /** Runs an API server call off the event loop, bounded in time and in number; back on the caller's context. */
    private Future<Object> blocking(java.util.function.Supplier<Object> call) {
        Context context = vertx.getOrCreateContext();
        Promise<Object> promise = Promise.promise();
        if (!inFlight.tryAcquire()) {
            promise.complete(new Access.Unavailable("too many access reviews in flight; try again"));
            return promise.future();
        }
        CompletableFuture.supplyAsync(() -> {
            try {
                return call.get();
            } finally {
                inFlight.release();
            }
        }, blocking).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .whenComplete((r, err) -> context.runOnContext(v -> {
                    if (err == null) {
                        promise.complete(r);
                        return;
                    }
                    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
                    LOG.warnf("the Kubernetes API server did not answer an access review: %s", cause.toString());
                    promise.complete(new Access.Unavailable(cause instanceof TimeoutException
                            ? "the Kubernetes API server did not answer the access review within " + timeoutMillis + " ms"
                            : "the access review could not be made"));
                }));
        return promise.future();
    }

    /**
     * The token of "Bearer &lt;token&gt;" (scheme case-insensitive), else null. Parsed by hand: a regex split cost more
     * per call than the rest of the check.
     */
    static String bearer(String authorization) {
        if (authorization == null || authorization.length() > 16384) {
            return null;
        }
        String s = authorization.trim();
        if (s.length() < 8 || !s.regionMatches(true, 0, "Bearer", 0, 6) || !isSpace(s.charAt(6))) {
            return null;
        }
        String token = s.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** A digest per thread: MessageDigest.getInstance looks the provider up on every call. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static String sha256(String token) {
        return HexFormat.of().formatHex(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
