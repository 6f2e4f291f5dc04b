package dev.lambkin.gateway.async;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.route.FunctionKey;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

class AsyncEventTest {
    static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    final AsyncEvent accepted = AsyncEvent.accepted("req-1", new FunctionKey("shop", "orders"),
            "{\"id\":7}".getBytes(StandardCharsets.UTF_8), T0, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    @Test
    void anEventSurvivesTheTripThroughAMessage() {
        Message m = accepted.toMessage();
        assertEquals("lambkin.events.shop.orders", m.getSubject());
        AsyncEvent back = AsyncEvent.from(m);
        assertEquals("req-1", back.requestId());
        assertEquals(new FunctionKey("shop", "orders"), back.function());
        assertArrayEquals(accepted.body(), back.body());
        assertEquals(T0, back.acceptedAt());
        assertEquals(0, back.attempts());
        assertNull(back.firstAttemptAt());
        assertEquals(accepted.traceparent(), back.traceparent());
    }

    @Test
    void aRetryCarriesItsHistoryAndKeepsTheRequestId() {
        AsyncEvent once = accepted.retried(T0.plusSeconds(1), "Unhandled", "boom\r\nat line 2", T0.plusSeconds(61));
        AsyncEvent twice = AsyncEvent.from(once.toMessage()).retried(T0.plusSeconds(62), "Handled", "again", T0.plusSeconds(182));
        AsyncEvent read = AsyncEvent.from(twice.toMessage());
        assertEquals("req-1", read.requestId());
        assertEquals(2, read.attempts());
        assertEquals(T0.plusSeconds(1), read.firstAttemptAt(), "the first attempt's time is kept");
        assertEquals(T0.plusSeconds(62), read.lastAttemptAt());
        assertEquals("Handled", read.lastErrorType());
        assertEquals(T0.plusSeconds(182), read.notBefore());
        assertEquals("boom  at line 2", AsyncEvent.from(once.toMessage()).lastErrorMessage(), "one header line");
        assertNotEquals(accepted.messageId(), once.messageId(), "a retry is not a duplicate of the accepted event");
        AsyncEvent redriven = read.redriven(T0.plusSeconds(999));
        assertEquals(0, redriven.attempts());
        assertEquals("req-1", redriven.requestId());
        assertEquals(T0.plusSeconds(999), redriven.acceptedAt());
    }

    @Test
    void aMalformedMessageIsRefusedWithTheReason() {
        Message noHeaders = NatsMessage.builder().subject("lambkin.events.a.b").data(new byte[0]).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AsyncEvent.from(noHeaders)).getMessage().contains("headers"));
        Headers h = new Headers().put("Lambkin-Request-Id", "x").put("Lambkin-Function", "Bad/Name")
                .put("Lambkin-Accepted-At", "1").put("Lambkin-Attempts", "0");
        Message badFunction = NatsMessage.builder().subject("lambkin.events.a.b").headers(h).data(new byte[0]).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AsyncEvent.from(badFunction)).getMessage()
                .contains("Lambkin-Function"));
        Headers h2 = new Headers().put("Lambkin-Request-Id", "x").put("Lambkin-Function", "a/b")
                .put("Lambkin-Accepted-At", "soon").put("Lambkin-Attempts", "0");
        Message badTime = NatsMessage.builder().subject("lambkin.events.a.b").headers(h2).data(new byte[0]).build();
        assertThrows(IllegalArgumentException.class, () -> AsyncEvent.from(badTime));
    }
}
