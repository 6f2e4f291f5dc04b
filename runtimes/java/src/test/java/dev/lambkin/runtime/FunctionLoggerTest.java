package dev.lambkin.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.lambkin.contract.Contract;

import org.junit.jupiter.api.Test;

/** The log tail: the last 4 KB of an invocation's lines, whatever it logged before. */
class FunctionLoggerTest {
    static FunctionLogger quiet() {
        return new FunctionLogger("r", new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void tenThousandLinesLeaveAFourKilobyteTailThatEndsWithTheLast() {
        FunctionLogger logger = quiet();
        for (int i = 0; i < 10_000; i++) {
            logger.log("line %05d é", i);
        }
        byte[] tail = logger.tail();
        assertTrue(tail.length <= Contract.LOG_TAIL_BYTES, "tail " + tail.length);
        assertTrue(tail.length > Contract.LOG_TAIL_BYTES - 4, "at most a partial character is dropped: " + tail.length);
        String text = new String(tail, StandardCharsets.UTF_8);
        assertTrue(text.endsWith(" r line 09999 é\n"), text.substring(text.length() - 40));
        assertTrue(!text.contains("\uFFFD"), "cut at a character boundary");
    }

    @Test
    void theTailIsExactlyTheEndOfWhatWasPrinted() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        FunctionLogger logger = new FunctionLogger("req", new PrintStream(printed, true, StandardCharsets.UTF_8));
        // lines of varied lengths make the ring wrap at many offsets
        for (int i = 0; i < 700; i++) {
            logger.log("x".repeat(i % 97) + "ü" + i);
        }
        byte[] all = printed.toByteArray();
        byte[] tail = logger.tail();
        assertArrayEquals(Arrays.copyOfRange(all, all.length - tail.length, all.length), tail);
    }

    @Test
    void aLineLongerThanTheTailLeavesItsEnd() {
        FunctionLogger logger = quiet();
        logger.log("first");
        logger.log("a".repeat(10_000) + "END");
        String text = new String(logger.tail(), StandardCharsets.UTF_8);
        assertEquals(Contract.LOG_TAIL_BYTES, text.length());
        assertTrue(text.endsWith("aEND\n"));
    }

    @Test
    void nothingLoggedIsAnEmptyTail() {
        assertEquals(0, quiet().tail().length);
    }
}
