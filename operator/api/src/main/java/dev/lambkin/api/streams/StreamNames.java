package dev.lambkin.api.streams;

/**
 * JetStream names behind the API, derived in one place for the operator (which owns the dead-letter streams)
 * and the gateway (which publishes and consumes). Namespaces and names are DNS labels, so '_' cannot occur in
 * them and joins them without ambiguity; '.' separates subject tokens.
 */
public final class StreamNames {
    /** The one stream every asynchronous event is accepted into. */
    public static final String EVENTS_STREAM = "LAMBKIN_EVENTS";
    public static final String EVENTS_SUBJECTS = "lambkin.events.>";
    public static final String DEAD_LETTER_STREAM_PREFIX = "LAMBKIN_DLQ_";

    private StreamNames() {
    }

    public static String eventSubject(String namespace, String function) {
        return "lambkin.events." + namespace + "." + function;
    }

    /** The durable consumer every gateway replica shares for one function's events. */
    public static String eventConsumer(String namespace, String function) {
        return "fn_" + namespace + "_" + function;
    }

    /** The durable consumer through which the gateways read a nats Trigger's stream (one per Trigger). */
    public static String triggerConsumer(String triggerUid) {
        return "lambkin-trigger-" + triggerUid;
    }

    /** The core NATS queue group of a nats Trigger that names none: each message invokes once, across gateways. */
    public static String triggerQueueGroup(String namespace, String trigger) {
        return "lambkin-trigger." + namespace + "." + trigger;
    }

    public static String deadLetterStream(String namespace, String queue) {
        return DEAD_LETTER_STREAM_PREFIX + namespace + "_" + queue;
    }

    public static String deadLetterSubject(String namespace, String queue) {
        return "lambkin.dlq." + namespace + "." + queue;
    }
}
