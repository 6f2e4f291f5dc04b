package dev.lambkin.runtime;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Writes log lines to stdout prefixed with time and request id, and keeps them for the invocation's log tail. */
public final class FunctionLogger {
    /** Lambda returns the last 4 KB of an invocation's log to a caller that asks for it. */
    static final int TAIL_BYTES = 4096;

    private final String requestId;
    private final PrintStream out;
    private final StringBuilder lines = new StringBuilder();

    FunctionLogger(String requestId, PrintStream out) {
        this.requestId = requestId;
        this.out = out;
    }

    public void log(String message) {
        String line = Instant.now() + " " + requestId + " " + message + "\n";
        out.print(line);
        synchronized (lines) {
            lines.append(line);
        }
    }

    public void log(String format, Object... args) {
        log(String.format(format, args));
    }

    /** The last {@value #TAIL_BYTES} bytes of what this invocation logged (cut at a character boundary). */
    byte[] tail() {
        byte[] all;
        synchronized (lines) {
            all = lines.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (all.length <= TAIL_BYTES) {
            return all;
        }
        int from = all.length - TAIL_BYTES;
        while (from < all.length && (all[from] & 0xC0) == 0x80) {
            from++; // do not start inside a multi-byte character
        }
        return java.util.Arrays.copyOfRange(all, from, all.length);
    }
}
