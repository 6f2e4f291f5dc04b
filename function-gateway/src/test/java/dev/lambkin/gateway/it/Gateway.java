package dev.lambkin.gateway.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.lambkin.api.v1alpha1.Function;
import dev.lambkin.testing.TestCluster;
import io.vertx.core.json.JsonArray;

/** What the gateway ITs do over and over: create a Function, call the gateway, ask a netcheck pod what it saw. */
final class Gateway {
    static final Duration START = Duration.ofSeconds(90);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    /** Metrics and health: the management port, which callers of functions never see. */
    final String management;

    Gateway(int port, int managementPort) {
        this.base = "http://localhost:" + port;
        this.management = "http://localhost:" + managementPort;
    }

    /** GET on the management port (/q/metrics, /q/health/ready). */
    HttpResponse<String> manage(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(management + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void function(TestCluster cluster, String name, String spec) {
        cluster.client().resource(cluster.load("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: %s}
                spec:
                %s
                """.formatted(name, spec.indent(2)), Function.class)).create();
        // the gateway knows it once its Deployment exists
        TestCluster.await(START).until(() -> cluster.client().apps().deployments().inNamespace(cluster.namespace())
                .withName(name).get() != null);
    }

    HttpResponse<String> invoke(TestCluster cluster, String name, String body, String... headers) throws Exception {
        return send("POST", "/functions/" + cluster.namespace() + "/" + name, body, headers);
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int replicas(TestCluster cluster, String name) {
        return cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName(name).get().getSpec().getReplicas();
    }

    /** IPs of the function's running pods. */
    static List<String> podIps(TestCluster cluster, String name) {
        return cluster.client().pods().inNamespace(cluster.namespace()).withLabel("lambkin.dev/function", name).list()
                .getItems().stream().filter(p -> "Running".equals(p.getStatus().getPhase()))
                .map(p -> p.getStatus().getPodIP()).filter(Objects::nonNull).toList();
    }

    /** Every invocation a netcheck function's pods answered: [{"id","attempt"}]. */
    JsonArray seen(TestCluster cluster, String name) throws Exception {
        JsonArray all = new JsonArray();
        for (String ip : podIps(cluster, name)) {
            var r = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/seen")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            all.addAll(new JsonArray(r.body()));
        }
        return all;
    }
}
