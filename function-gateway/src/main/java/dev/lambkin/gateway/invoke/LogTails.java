package dev.lambkin.gateway.invoke;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import dev.lambkin.contract.Contract;
import io.vertx.core.MultiMap;

/**
 * The log tail a caller asked for, as Lambda returns it: what the function logged, ending with the invocation's
 * REPORT line, the last {@link Contract#LOG_TAIL_BYTES} bytes of it, so it is never empty. Plain Java.
 */
final class LogTails {
    private LogTails() {
    }

    /** The outcome with the REPORT line at the end of its tail; outcomes without an answer of the function unchanged. */
    static Outcome withReport(Outcome outcome, String report) {
        return switch (outcome) {
            case Outcome.Answered a -> new Outcome.Answered(a.pod(), with(a.headers(), report), a.body());
            case Outcome.FunctionError e -> new Outcome.FunctionError(e.pod(), e.kind(), e.errorType(), e.errorMessage(),
                    with(e.headers(), report), e.body());
            default -> outcome;
        };
    }

    static MultiMap with(MultiMap headers, String report) {
        byte[] logged;
        try {
            String tail = headers.get(Contract.LOG_RESULT);
            logged = tail == null ? new byte[0] : Base64.getDecoder().decode(tail);
        } catch (IllegalArgumentException notBase64) {
            logged = new byte[0];
        }
        // on a line of its own even after output without a newline (Lambda's Java LambdaLogger.log adds none)
        boolean open = logged.length > 0 && logged[logged.length - 1] != '\n';
        byte[] line = ((open ? "\n" : "") + report + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(logged, logged.length + line.length);
        System.arraycopy(line, 0, all, logged.length, line.length);
        int from = Math.max(0, all.length - Contract.LOG_TAIL_BYTES);
        while (from < all.length && (all[from] & 0xC0) == 0x80) {
            from++; // not in the middle of a character
        }
        return MultiMap.caseInsensitiveMultiMap().addAll(headers)
                .set(Contract.LOG_RESULT, Base64.getEncoder().encodeToString(Arrays.copyOfRange(all, from, all.length)));
    }
}
