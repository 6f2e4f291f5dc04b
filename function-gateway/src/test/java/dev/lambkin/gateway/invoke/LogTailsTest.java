package dev.lambkin.gateway.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.lambkin.contract.Contract;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

class LogTailsTest {
    static String tail(Outcome o) {
        String h = o instanceof Outcome.Answered a ? a.headers().get(Contract.LOG_RESULT)
                : ((Outcome.FunctionError) o).headers().get(Contract.LOG_RESULT);
        return new String(Base64.getDecoder().decode(h), StandardCharsets.UTF_8);
    }

    /** A function's answer headers carrying what it logged. */
    static MultiMap logged(String output) {
        return MultiMap.caseInsensitiveMultiMap().add(Contract.LOG_RESULT,
                Base64.getEncoder().encodeToString(output.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theTailEndsWithTheReportLineAndIsNeverEmpty() {
        MultiMap logged = logged("greeting Ada\n");
        Outcome o = LogTails.withReport(new Outcome.Answered("p", logged, Buffer.buffer("{}")), "REPORT RequestId: r1");
        assertEquals("greeting Ada\nREPORT RequestId: r1\n", tail(o));
        Outcome quiet = LogTails.withReport(new Outcome.FunctionError("p", "Handled", "E", "m", MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer("{}")), "REPORT RequestId: r2");
        assertEquals("REPORT RequestId: r2\n", tail(quiet), "a function that logged nothing still has its REPORT line");
    }

    @Test
    void theReportLineStartsALineAfterOutputWithoutANewline() {
        MultiMap logged = logged("greeting Ada");
        Outcome o = LogTails.withReport(new Outcome.Answered("p", logged, Buffer.buffer("{}")), "REPORT RequestId: r4");
        assertEquals("greeting Ada\nREPORT RequestId: r4\n", tail(o));
    }

    @Test
    void theTailKeepsTheLast4KbAndCutsNoCharacterInHalf() {
        String chatty = "é".repeat(3000); // two bytes each: 6,000 bytes
        MultiMap logged = logged(chatty);
        String t = tail(LogTails.withReport(new Outcome.Answered("p", logged, Buffer.buffer()), "REPORT RequestId: r3"));
        assertTrue(t.getBytes(StandardCharsets.UTF_8).length <= Contract.LOG_TAIL_BYTES);
        assertTrue(t.endsWith("REPORT RequestId: r3\n"));
        assertTrue(t.startsWith("é"), "starts at a character: " + t.substring(0, 3));
    }
}
