package dev.lambkin.gateway.it;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;

/** For the ITs of the gateway running in this JVM (a @QuarkusTest): a client of its HTTP and management ports. */
abstract class GatewayInThisJvm {
    Gateway gateway;

    @BeforeEach
    void connectToTheGateway() {
        var config = ConfigProvider.getConfig();
        gateway = new Gateway(config.getValue("quarkus.http.test-port", Integer.class),
                config.getValue("quarkus.management.test-port", Integer.class));
    }
}
