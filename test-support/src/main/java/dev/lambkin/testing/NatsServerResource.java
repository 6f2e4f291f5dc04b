package dev.lambkin.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the application under test (operator or gateway) at the test JVM's NATS server. */
public class NatsServerResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("lambkin.nats.url", NatsServer.shared().url());
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; killed when the JVM ends
    }
}
