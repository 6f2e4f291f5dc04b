package dev.lambkin.gateway.trigger;

import java.util.List;

import dev.lambkin.api.v1alpha1.Trigger;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/** The installation's Triggers, watched once for every event source of this gateway. */
@ApplicationScoped
public class Triggers {
    private final KubernetesClient client;
    private SharedIndexInformer<Trigger> informer;

    public Triggers(KubernetesClient client) {
        this.client = client;
    }

    @PostConstruct
    void start() {
        informer = client.resources(Trigger.class).inAnyNamespace().inform();
    }

    @PreDestroy
    void stop() {
        informer.close();
    }

    public List<Trigger> list() {
        return informer.getStore().list();
    }

    /** Calls the handler for every Trigger there is and every change after. */
    public void onChange(ResourceEventHandler<Trigger> handler) {
        informer.addEventHandler(handler);
    }
}
