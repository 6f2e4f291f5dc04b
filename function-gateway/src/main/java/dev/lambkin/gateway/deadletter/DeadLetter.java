package dev.lambkin.gateway.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A dead letter as stored in a queue's stream and shown by the queue API: the original event and why it was
 * given up. Times are ISO-8601 UTC.
 *
 * @param condition RetriesExhausted or EventAgeExceeded
 * @param event     the event as the caller sent it (JSON), or null when it was empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(String requestId, String namespace, String function, String condition, String errorType,
        String errorMessage, int attempts, String acceptedTime, String firstAttemptTime, String lastAttemptTime,
        String deadLetteredTime, String traceparent, JsonNode event) {
}
