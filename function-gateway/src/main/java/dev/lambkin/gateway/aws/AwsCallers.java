package dev.lambkin.gateway.aws;

import java.time.Instant;

import dev.lambkin.gateway.auth.Access;
import dev.lambkin.gateway.auth.KubernetesAccess;
import dev.lambkin.gateway.auth.Permission;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who calls Lambda's API: a request signed with SigV4 by one of the access keys is the ServiceAccount the key
 * stands for; a Bearer token is whoever the API server's TokenReview says. Then the same SubjectAccessReview as on
 * Lambkin's own API decides. A plain function name resolves in the caller's namespace (a ServiceAccount's).
 */
@ApplicationScoped
public class AwsCallers {
    /** An authenticated caller; namespace: where a plain function name resolves, or null when the identity has none. */
    public record Caller(Access.Identity identity, String namespace) {
    }

    /** Why a request is refused, in AWS's terms. */
    public record Refusal(int status, String type, String message) {
    }

    private final KubernetesAccess access;
    private final AccessKeys keys;

    public AwsCallers(KubernetesAccess access, AccessKeys keys) {
        this.access = access;
        this.keys = keys;
    }

    /** A Caller or a Refusal; never fails. The body is what the signature covers. */
    public Future<Object> authenticate(RoutingContext ctx, byte[] body) {
        if (!access.enabled()) {
            return Future.succeededFuture(new Caller(null, "default"));
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null) {
            return Future.succeededFuture(new Refusal(403, "MissingAuthenticationTokenException",
                    "Missing Authentication Token: sign the request with an access key (SigV4) or send Authorization: Bearer <token>"));
        }
        if (SigV4.claimed(authorization)) {
            return Future.succeededFuture(signed(ctx, body));
        }
        return access.authenticate(authorization).map(a -> switch (a) {
            case Access.Allowed allowed -> new Caller(allowed.who(), namespaceOf(allowed.who()));
            case Access.Unauthenticated u -> new Refusal(403, "UnrecognizedClientException", u.message());
            case Access.Unavailable u -> new Refusal(503, "ServiceException", u.message());
            case Access.Forbidden f -> new Refusal(403, "AccessDeniedException", f.message());
        });
    }

    private Object signed(RoutingContext ctx, byte[] body) {
        var req = ctx.request();
        SigV4.Result r = SigV4.verify(req.method().name(), req.path(), req.query(), req.headers(), body,
                id -> keys.get(id) == null ? null : keys.get(id).secret(), Instant.now());
        return switch (r) {
            case SigV4.Verified v -> {
                AccessKeys.Key key = keys.get(v.accessKeyId());
                yield key == null ? new Refusal(403, "UnrecognizedClientException", "The security token included in the request is invalid.")
                        : new Caller(key.identity(), namespaceOf(key.identity()));
            }
            case SigV4.UnknownKey u -> new Refusal(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
            case SigV4.BadSignature b -> new Refusal(403, "InvalidSignatureException", b.message());
            case SigV4.Malformed m -> new Refusal(403, "IncompleteSignatureException", m.message());
        };
    }

    /** Allowed, Forbidden or Unavailable. */
    public Future<Access> authorize(Caller caller, Permission permission) {
        if (!access.enabled()) {
            return Future.succeededFuture(new Access.Allowed(caller.identity()));
        }
        return access.authorize(caller.identity(), permission);
    }

    /** A ServiceAccount's namespace (system:serviceaccount:<namespace>:<name>), else null. */
    static String namespaceOf(Access.Identity who) {
        String[] parts = who.username().split(":");
        return parts.length == 4 && parts[0].equals("system") && parts[1].equals("serviceaccount") ? parts[2] : null;
    }
}
