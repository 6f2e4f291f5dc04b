package dev.lambkin.gateway.trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.lambkin.api.v1alpha1.HttpSource;
import dev.lambkin.api.v1alpha1.InvocationType;
import dev.lambkin.api.v1alpha1.Trigger;

/**
 * The HTTP routes of every http Trigger, as one immutable table: which Trigger takes a request (host, path,
 * method), and which Triggers lost their path to an older one. Routes are prefixes: {@code /orders} takes
 * {@code /orders} and {@code /orders/42}; the longest matching path wins; routes naming the request's host are
 * looked at before routes for any host. Two Triggers conflict when they share host and path and their methods
 * overlap: the older (creation time, then namespace/name) keeps the route. Plain Java.
 */
public final class RouteTable {
    /** One installed route. methods: never empty (all methods when the Trigger names none). */
    public record Route(String uid, long generation, String namespace, String trigger, String function, String host,
            String path, Set<HttpSource.Method> methods, boolean async, HttpSource.Auth auth, HttpSource.Cors cors) {
        public String name() {
            return namespace + "/" + trigger;
        }
    }

    /** What the table did with an http Trigger. */
    public sealed interface Claim {
    }

    /** The Trigger's route is installed. */
    public record Installed(Route route) implements Claim {
    }

    /** An older Trigger holds the path for one of the methods; this one is not routed. */
    public record Conflicting(String winner, String path, Set<HttpSource.Method> methods) implements Claim {
    }

    /** The Trigger cannot be routed as written (a reserved path the API server did not refuse, e.g. an old CRD). */
    public record Invalid(String message) implements Claim {
    }

    /** What a request finds. */
    public sealed interface Match {
    }

    /** The route that takes the request. */
    public record Found(Route route) implements Match {
    }

    /** Routes exist on the path but none for this method: 405 with the methods that are. */
    public record WrongMethod(Set<HttpSource.Method> allowed) implements Match {
    }

    /** No route on the path. */
    public record NoRoute() implements Match {
    }

    public static final RouteTable EMPTY = of(List.of());

    /** host ("" for any) → path → routes on it. */
    private final Map<String, Map<String, List<Route>>> routes;
    private final Map<String, Claim> claims;
    private final String digest;

    private RouteTable(Map<String, Map<String, List<Route>>> routes, Map<String, Claim> claims, String digest) {
        this.routes = routes;
        this.claims = claims;
        this.digest = digest;
    }

    public static RouteTable of(List<Trigger> triggers) {
        List<Trigger> http = new ArrayList<>(triggers.stream()
                .filter(t -> t.getSpec() != null && t.getSpec().http != null && t.getMetadata().getDeletionTimestamp() == null)
                .toList());
        http.sort(Comparator.comparing((Trigger t) -> t.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(t -> t.getMetadata().getNamespace()).thenComparing(t -> t.getMetadata().getName()));
        Map<String, Map<String, List<Route>>> routes = new HashMap<>();
        Map<String, Claim> claims = new HashMap<>();
        StringBuilder installed = new StringBuilder();
        for (Trigger t : http) {
            HttpSource s = t.getSpec().http;
            String uid = t.getMetadata().getUid();
            String path = normalize(s.path);
            if (reserved(path)) {
                claims.put(uid, new Invalid("path " + path + " is under one of the gateway's own prefixes " + HttpSource.RESERVED_PREFIXES));
                continue;
            }
            Set<HttpSource.Method> methods = s.methods == null || s.methods.isEmpty() ? EnumSet.allOf(HttpSource.Method.class)
                    : EnumSet.copyOf(s.methods);
            String host = s.host == null ? "" : s.host.toLowerCase(java.util.Locale.ROOT);
            List<Route> onPath = routes.computeIfAbsent(host, h -> new HashMap<>()).computeIfAbsent(path, p -> new ArrayList<>());
            Optional<Route> taken = onPath.stream().filter(r -> r.methods().stream().anyMatch(methods::contains)).findFirst();
            if (taken.isPresent()) {
                Set<HttpSource.Method> both = EnumSet.copyOf(methods);
                both.retainAll(taken.get().methods());
                claims.put(uid, new Conflicting(taken.get().name(), path, both));
                continue;
            }
            Route r = new Route(uid, generation(t), t.getMetadata().getNamespace(), t.getMetadata().getName(),
                    t.getSpec().function, host, path, methods, t.getSpec().invocationType == InvocationType.ASYNC,
                    s.auth == null ? HttpSource.Auth.PUBLIC : s.auth, s.cors);
            onPath.add(r);
            claims.put(uid, new Installed(r));
            installed.append(uid).append(':').append(r.generation()).append(':').append(r.function()).append('\n');
        }
        return new RouteTable(routes, claims, sha256(installed.toString()));
    }

    /** The route for a request: host without port, path as requested (normalized here). */
    public Match match(String host, String requestPath, HttpSource.Method method) {
        String path = normalize(requestPath);
        if (reserved(path)) {
            return new NoRoute();
        }
        String h = host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
        List<Route> onPath = h.isEmpty() ? null : longest(routes.get(h), path);
        if (onPath == null) {
            onPath = longest(routes.get(""), path);
        }
        if (onPath == null) {
            return new NoRoute();
        }
        for (Route r : onPath) {
            if (method != null && r.methods().contains(method)) {
                return new Found(r);
            }
        }
        Set<HttpSource.Method> allowed = new LinkedHashSet<>();
        onPath.forEach(r -> allowed.addAll(r.methods()));
        return new WrongMethod(allowed);
    }

    /** What the table did with the Trigger of this uid, or null when it is not an http Trigger in the table. */
    public Claim claim(String uid) {
        return claims.get(uid);
    }

    /** Identifies the installed routes: replicas with equal digests route alike. */
    public String digest() {
        return digest;
    }

    private static List<Route> longest(Map<String, List<Route>> byPath, String path) {
        if (byPath == null) {
            return null;
        }
        for (String p = path;; p = parent(p)) {
            List<Route> r = byPath.get(p);
            if (r != null) {
                return r;
            }
            if (p.equals("/")) {
                return null;
            }
        }
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** One form of a path: no trailing slash (but the root), no empty segments. */
    static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        String p = path.replaceAll("/{2,}", "/");
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    static boolean reserved(String path) {
        return HttpSource.RESERVED_PREFIXES.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    private static long generation(Trigger t) {
        return t.getMetadata().getGeneration() == null ? 0 : t.getMetadata().getGeneration();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
