package dev.lambkin.gateway.trigger;

import dev.lambkin.api.v1alpha1.Trigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** lambkin_trigger_fires_total{namespace, trigger, outcome}: what each schedule or NATS Trigger did with its events. */
@ApplicationScoped
public class TriggerMetrics {
    private final MeterRegistry registry;

    public TriggerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** outcome: fired (queued), failed (not queued), dropped (too large to be an event). */
    void count(Trigger t, String outcome) {
        Counter.builder("lambkin.trigger.fires").description("Trigger firings (schedules, NATS messages), by outcome")
                .tags("namespace", t.getMetadata().getNamespace(), "trigger", t.getMetadata().getName(), "outcome", outcome)
                .register(registry).increment();
    }
}
