package dev.lambkin.gateway.trigger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import io.nats.client.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The event a NATS message gives its Trigger's function, in the manner of Lambda's message-broker events (Amazon
 * MQ, Kafka): the subject, the message's headers, its data in base64 (a message is bytes), and for a JetStream
 * source the stream and sequence. Plain Java.
 */
public final class NatsEvents {
    private NatsEvents() {
    }

    public static JsonObject of(String trigger, Message m) {
        JsonObject headers = new JsonObject();
        if (m.hasHeaders()) {
            m.getHeaders().entrySet().forEach(e -> headers.put(e.getKey(), new JsonArray(e.getValue())));
        }
        JsonObject event = new JsonObject().put("eventSource", "lambkin:nats").put("trigger", trigger)
                .put("subject", m.getSubject()).put("headers", headers)
                .put("data", Base64.getEncoder().encodeToString(m.getData() == null ? new byte[0] : m.getData()));
        if (m.isJetStream()) {
            event.put("stream", m.metaData().getStream()).put("sequence", m.metaData().streamSequence())
                    .put("timestamp", m.metaData().timestamp().toInstant().toString());
        }
        return event;
    }

    /**
     * The request id of a stored message's event: the same on every delivery, so a message redelivered after a
     * gateway stored its event but died before acknowledging is de-duplicated by the events stream.
     */
    public static String id(String triggerUid, String stream, long sequence) {
        return UUID.nameUUIDFromBytes((triggerUid + "/" + stream + "/" + sequence).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
