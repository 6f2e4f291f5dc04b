package dev.lambkin.api.status;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;

/** Kubernetes Events (events.k8s.io/v1) about Lambkin's resources, as the operator and the gateway record them. */
public final class Events {
    /** The API server reads eventTime with exactly six fraction digits. */
    static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
            .withZone(ZoneOffset.UTC);
    /** The API server refuses notes over 1 kB. */
    static final int MAX_NOTE = 1000;

    private Events() {
    }

    public static Event of(HasMetadata regarding, String type, String reason, String action, String note,
            String controller, String instance, Instant now) {
        String ns = regarding.getMetadata().getNamespace();
        return new EventBuilder()
                .withNewMetadata()
                .withName(regarding.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(ns)
                .endMetadata()
                .withEventTime(new MicroTime(MICRO_TIME.format(now)))
                .withReportingController(controller)
                .withReportingInstance(instance)
                .withAction(action)
                .withReason(reason)
                .withType(type)
                .withNote(note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE) : note)
                .withRegarding(new ObjectReferenceBuilder()
                        .withApiVersion(regarding.getApiVersion()).withKind(regarding.getKind())
                        .withName(regarding.getMetadata().getName()).withNamespace(ns)
                        .withUid(regarding.getMetadata().getUid())
                        .withResourceVersion(regarding.getMetadata().getResourceVersion()).build())
                .build();
    }
}
