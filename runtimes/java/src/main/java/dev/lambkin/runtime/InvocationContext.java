package dev.lambkin.runtime;

import java.time.Clock;
import java.time.Instant;

/** The Context of one invocation. */
record InvocationContext(String requestId, String functionName, String functionNamespace, String invocationType,
        int attempt, Instant deadline, long memorySizeMb, String traceparent, FunctionLogger logger, Clock clock)
        implements Context {

    @Override
    public long remainingTimeMillis() {
        return Math.max(0, deadline.toEpochMilli() - clock.millis());
    }
}
