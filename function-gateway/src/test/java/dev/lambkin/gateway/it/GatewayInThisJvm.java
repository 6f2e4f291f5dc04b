package dev.lambkin.gateway.it;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;

/** For the ITs of the gateway running in this JVM (a @QuarkusTest): a client of its HTTP port. */
abstract class GatewayInThisJvm {
    Gateway gateway;

    @BeforeEach
    void connectToTheGateway() {
        gateway = new Gateway(ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class));
    }
}
