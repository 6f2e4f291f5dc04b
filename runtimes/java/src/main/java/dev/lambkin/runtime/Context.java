package dev.lambkin.runtime;

import java.time.Instant;

/** What an invocation knows about itself, from the runtime contract's headers and the function's settings. */
public interface Context {
    /** The invocation's id; retries of an async event keep it. */
    String requestId();

    String functionName();

    String functionNamespace();

    /** {@code RequestResponse} (sync) or {@code Event} (async). */
    String invocationType();

    /** 1 for the first try of an async event, 2 and 3 for its retries; 1 for sync calls. */
    int attempt();

    /** When the gateway gives up on this invocation. */
    Instant deadline();

    /** Milliseconds left before the deadline (never negative). */
    long remainingTimeMillis();

    /** The function's memory size in MiB (its memory limit), or 0 when it has none. */
    long memorySizeMb();

    /** W3C trace context of the invocation, or null. */
    String traceparent();

    /** Log lines that carry the request id; the caller can ask for their tail with Lambkin-Log-Type: Tail. */
    FunctionLogger logger();
}
