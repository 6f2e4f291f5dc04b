package dev.lambkin.gateway.trigger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.lambkin.api.v1alpha1.Trigger;

/**
 * The event a schedule sends, shaped as EventBridge's Scheduled Event so a function written for Lambda reads it
 * unchanged; the Trigger's {@code payload} replaces {@code detail}. Its id is derived from the Trigger's uid and
 * the scheduled instant, so every gateway replica, every leader and every restart names one firing alike.
 */
public final class ScheduledEvents {
    private ScheduledEvents() {
    }

    /** The request id (and the event's id) of one scheduled firing. */
    public static String id(Trigger trigger, Instant scheduled) {
        return UUID.nameUUIDFromBytes((trigger.getMetadata().getUid() + "/" + scheduled.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static byte[] body(ObjectMapper json, Trigger trigger, Instant scheduled) {
        ObjectNode e = json.createObjectNode();
        e.put("version", "0");
        e.put("id", id(trigger, scheduled));
        e.put("detail-type", "Scheduled Event");
        e.put("source", "lambkin.schedule");
        e.put("account", trigger.getMetadata().getNamespace());
        e.put("time", scheduled.toString());
        e.putArray("resources").add("lambkin:" + trigger.getMetadata().getNamespace() + ":trigger/" + trigger.getMetadata().getName());
        JsonNode payload = trigger.getSpec().schedule.payload;
        e.set("detail", payload == null || payload.isNull() ? json.createObjectNode() : payload);
        try {
            return json.writeValueAsBytes(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
