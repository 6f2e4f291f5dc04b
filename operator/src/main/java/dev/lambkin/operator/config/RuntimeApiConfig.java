package dev.lambkin.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The helper that runs unchanged Lambda images (Functions with runtimeApi lambda). */
@ConfigMapping(prefix = "lambkin.runtime-api")
public interface RuntimeApiConfig {
    /** Image of the helper (a static binary, FROM scratch) that an init container copies into the function's pod. */
    @WithDefault("lambkin.local/lambkin-runtime-api:dev")
    String image();

    /** The region Lambda images see (AWS_REGION, and in their function ARN); the gateway's ARNs use the same. */
    @WithDefault("us-east-1")
    String region();
}
