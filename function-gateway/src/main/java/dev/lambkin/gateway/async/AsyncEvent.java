package dev.lambkin.gateway.async;

import java.time.Instant;
import java.util.regex.Pattern;

import dev.lambkin.api.streams.StreamNames;
import dev.lambkin.api.v1alpha1.Names;
import dev.lambkin.gateway.route.FunctionKey;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

/**
 * An accepted asynchronous event as it travels through the events stream: the caller's body untouched, and in
 * headers its identity and history (attempts made, last error, when it may next be tried). A retry is the same
 * event published again with one more attempt, so the history survives any gateway restart.
 *
 * @param attempts  how often the function has been invoked with it (throttles and system errors do not count)
 * @param notBefore the earliest time of the next attempt (backoff), or null for at once
 */
public record AsyncEvent(String requestId, FunctionKey function, byte[] body, Instant acceptedAt, int attempts,
        Instant firstAttemptAt, Instant lastAttemptAt, String lastErrorType, String lastErrorMessage, Instant notBefore,
        String traceparent) {
    static final String REQUEST_ID = "Lambkin-Request-Id";
    static final String FUNCTION = "Lambkin-Function";
    static final String ACCEPTED = "Lambkin-Accepted-At";
    static final String ATTEMPTS = "Lambkin-Attempts";
    static final String FIRST_ATTEMPT = "Lambkin-First-Attempt-At";
    static final String LAST_ATTEMPT = "Lambkin-Last-Attempt-At";
    static final String ERROR_TYPE = "Lambkin-Error-Type";
    static final String ERROR_MESSAGE = "Lambkin-Error-Message";
    static final String NOT_BEFORE = "Lambkin-Not-Before";
    static final String TRACEPARENT = "traceparent";
    private static final Pattern DNS_LABEL = Pattern.compile(Names.DNS_LABEL);
    /** A header value is one line of printable ASCII; longer error messages are cut here. */
    private static final int MAX_HEADER = 1024;

    public static AsyncEvent accepted(String requestId, FunctionKey function, byte[] body, Instant now, String traceparent) {
        return new AsyncEvent(requestId, function, body, now, 0, null, null, null, null, null, traceparent);
    }

    /** After an attempt that failed with a function error, to be tried again at notBefore. */
    public AsyncEvent retried(Instant attemptedAt, String errorType, String errorMessage, Instant notBefore) {
        return new AsyncEvent(requestId, function, body, acceptedAt, attempts + 1,
                firstAttemptAt != null ? firstAttemptAt : attemptedAt, attemptedAt, errorType, errorMessage, notBefore,
                traceparent);
    }

    /** The last error without an attempt (a throttle or system error): attempts and their times stay as they were. */
    public AsyncEvent withError(String errorType, String errorMessage) {
        return new AsyncEvent(requestId, function, body, acceptedAt, attempts, firstAttemptAt, lastAttemptAt, errorType,
                errorMessage, null, traceparent);
    }

    /** A dead letter sent back to its function: a fresh event (new age, no attempts) with the same request id. */
    public AsyncEvent redriven(Instant now) {
        return new AsyncEvent(requestId, function, body, now, 0, null, null, null, null, null, traceparent);
    }

    /** JetStream's de-duplication id: a re-publish of the same step (a crash between publish and ack) is dropped. */
    public String messageId() {
        return requestId + "/" + attempts + "/" + acceptedAt.toEpochMilli();
    }

    public String subject() {
        return StreamNames.eventSubject(function.namespace(), function.name());
    }

    public Message toMessage() {
        Headers h = new Headers();
        h.put(REQUEST_ID, requestId);
        h.put(FUNCTION, function.toString());
        h.put(ACCEPTED, Long.toString(acceptedAt.toEpochMilli()));
        h.put(ATTEMPTS, Integer.toString(attempts));
        putTime(h, FIRST_ATTEMPT, firstAttemptAt);
        putTime(h, LAST_ATTEMPT, lastAttemptAt);
        putTime(h, NOT_BEFORE, notBefore);
        if (lastErrorType != null) {
            h.put(ERROR_TYPE, headerText(lastErrorType));
        }
        if (lastErrorMessage != null) {
            h.put(ERROR_MESSAGE, headerText(lastErrorMessage));
        }
        if (traceparent != null) {
            h.put(TRACEPARENT, headerText(traceparent));
        }
        return NatsMessage.builder().subject(subject()).headers(h).data(body).build();
    }

    /** Reads an event back; an IllegalArgumentException names what is missing or malformed. */
    public static AsyncEvent from(Message m) {
        Headers h = m.getHeaders();
        if (h == null) {
            throw new IllegalArgumentException("the message has no headers");
        }
        String requestId = required(h, REQUEST_ID);
        String[] fn = required(h, FUNCTION).split("/", -1);
        if (fn.length != 2 || !DNS_LABEL.matcher(fn[0]).matches() || !DNS_LABEL.matcher(fn[1]).matches()) {
            throw new IllegalArgumentException(FUNCTION + " is not namespace/name: " + h.getFirst(FUNCTION));
        }
        try {
            return new AsyncEvent(requestId, new FunctionKey(fn[0], fn[1]), m.getData() == null ? new byte[0] : m.getData(),
                    time(h, ACCEPTED), Integer.parseInt(required(h, ATTEMPTS)), optionalTime(h, FIRST_ATTEMPT),
                    optionalTime(h, LAST_ATTEMPT), h.getFirst(ERROR_TYPE), h.getFirst(ERROR_MESSAGE),
                    optionalTime(h, NOT_BEFORE), h.getFirst(TRACEPARENT));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a number header is malformed: " + e.getMessage());
        }
    }

    private static String required(Headers h, String name) {
        String v = h.getFirst(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("header " + name + " is missing");
        }
        return v;
    }

    private static Instant time(Headers h, String name) {
        return Instant.ofEpochMilli(Long.parseLong(required(h, name)));
    }

    private static Instant optionalTime(Headers h, String name) {
        String v = h.getFirst(name);
        return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v));
    }

    private static void putTime(Headers h, String name, Instant t) {
        if (t != null) {
            h.put(name, Long.toString(t.toEpochMilli()));
        }
    }

    /** One printable ASCII line: NATS header values may not break lines. */
    static String headerText(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_HEADER));
        for (int i = 0; i < s.length() && b.length() < MAX_HEADER; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return b.toString().strip();
    }
}
