package dev.lambkin.gateway.record;

import java.time.Instant;

import org.jboss.logging.Logger;

import dev.lambkin.api.status.Events;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Kubernetes Events the gateway records on the objects it acts for (scaling a Function, firing a Trigger). Blocking:
 * call it off the event loop. A lost event is logged and never fails the work it reports.
 */
@ApplicationScoped
public class GatewayEvents {
    private static final Logger LOG = Logger.getLogger(GatewayEvents.class);
    static final String CONTROLLER = "lambkin.dev/gateway";
    private static final String INSTANCE = System.getenv().getOrDefault("HOSTNAME", "lambkin-gateway");

    private final KubernetesClient client;

    public GatewayEvents(KubernetesClient client) {
        this.client = client;
    }

    public void record(HasMetadata regarding, String type, String reason, String action, String note) {
        try {
            client.events().v1().events().inNamespace(regarding.getMetadata().getNamespace())
                    .resource(Events.of(regarding, type, reason, action, note, CONTROLLER, INSTANCE, Instant.now())).create();
        } catch (RuntimeException ex) {
            LOG.warnf("could not record %s on %s/%s: %s", reason, regarding.getMetadata().getNamespace(),
                    regarding.getMetadata().getName(), ex.getMessage());
        }
    }
}
