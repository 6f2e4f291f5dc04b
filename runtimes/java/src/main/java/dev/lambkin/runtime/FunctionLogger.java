package dev.lambkin.runtime;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.lambkin.contract.Contract;

/**
 * Writes log lines to stdout prefixed with time and request id, and keeps the invocation's log tail: only the
 * last {@link Contract#LOG_TAIL_BYTES} bytes, in a ring, so a chatty invocation costs no more memory than a quiet one.
 */
public final class FunctionLogger {
    private final String requestId;
    private final PrintStream out;
    private byte[] ring; // allocated on the first line: most invocations of most functions log nothing
    private int start; // index of the oldest byte kept
    private int size; // bytes kept, at most ring.length

    FunctionLogger(String requestId, PrintStream out) {
        this.requestId = requestId;
        this.out = out;
    }

    public void log(String message) {
        String line = Instant.now() + " " + requestId + " " + message + "\n";
        out.print(line);
        keep(line.getBytes(StandardCharsets.UTF_8));
    }

    public void log(String format, Object... args) {
        log(String.format(format, args));
    }

    private synchronized void keep(byte[] bytes) {
        if (ring == null) {
            ring = new byte[Contract.LOG_TAIL_BYTES];
        }
        int cap = ring.length;
        int n = bytes.length;
        int from = 0;
        if (n >= cap) { // the line alone fills the tail: keep its end only
            from = n - cap;
            n = cap;
            start = 0;
            size = 0;
        }
        int end = (start + size) % cap; // where the next byte goes
        int first = Math.min(n, cap - end);
        System.arraycopy(bytes, from, ring, end, first);
        System.arraycopy(bytes, from + first, ring, 0, n - first);
        int overflow = size + n - cap;
        if (overflow > 0) { // the oldest bytes were overwritten
            start = (start + overflow) % cap;
            size = cap;
        } else {
            size += n;
        }
    }

    /** The last {@link Contract#LOG_TAIL_BYTES} bytes of what this invocation logged (cut at a character boundary). */
    synchronized byte[] tail() {
        if (ring == null) {
            return new byte[0];
        }
        byte[] ordered = new byte[size];
        int first = Math.min(size, ring.length - start);
        System.arraycopy(ring, start, ordered, 0, first);
        System.arraycopy(ring, 0, ordered, first, size - first);
        int skip = 0;
        while (skip < ordered.length && (ordered[skip] & 0xC0) == 0x80) {
            skip++; // do not start inside a multi-byte character
        }
        return skip == 0 ? ordered : java.util.Arrays.copyOfRange(ordered, skip, ordered.length);
    }
}
