package dev.lambkin.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The gateway's HTTP API as OpenAPI 3 (the committed openapi/gateway.yaml), for clients and the e2e fuzzer. */
@ApplicationScoped
public class OpenApiRoute {
    public static final String PATH = "/openapi.yaml";
    private final Buffer document = load();

    void routes(@Observes Router router) {
        router.get(PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(document));
        ApiFallbacks.onlyThese(router, PATH, HttpMethod.GET);
    }

    private static Buffer load() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream("/openapi/gateway.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi/gateway.yaml is missing from the gateway's classpath");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
