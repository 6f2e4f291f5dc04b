package dev.lambkin.contract;

import java.util.Locale;

/**
 * The runtime contract between the gateway and a function's pod (DESIGN.md, "The runtime contract"): one copy
 * of its names and limits, so the two sides cannot drift apart.
 */
public final class Contract {
    // Headers the gateway sends with an invocation.
    public static final String REQUEST_ID = "Lambkin-Request-Id";
    /** Epoch milliseconds after which the gateway gives up on the invocation. */
    public static final String DEADLINE_MS = "Lambkin-Deadline-Ms";
    public static final String FUNCTION_NAME = "Lambkin-Function-Name";
    public static final String INVOCATION_TYPE = "Lambkin-Invocation-Type";
    /** 1, 2, 3 for an async event's tries; 1 for sync calls. */
    public static final String ATTEMPT = "Lambkin-Attempt";
    public static final String TRACEPARENT = "traceparent";
    /** {@code Tail}: the caller wants the invocation's log tail in {@link #LOG_RESULT}. */
    public static final String LOG_TYPE = "Lambkin-Log-Type";
    /** The value of {@link #LOG_TYPE} that asks for the log tail. */
    public static final String TAIL = "Tail";
    /** The caller's client context (base64 JSON, Lambda's X-Amz-Client-Context), passed on as it came. */
    public static final String CLIENT_CONTEXT = "Lambkin-Client-Context";

    // Headers a function answers with.
    /** {@link #HANDLED} or {@link #UNHANDLED}; the body is then {@code {"errorType","errorMessage"}}. */
    public static final String FUNCTION_ERROR = "Lambkin-Function-Error";
    /** Bytes, the pod's peak memory use; feeds the REPORT record. */
    public static final String MAX_MEMORY_USED = "Lambkin-Max-Memory-Used";
    /** Base64 of the last {@link #LOG_TAIL_BYTES} bytes the invocation logged. */
    public static final String LOG_RESULT = "Lambkin-Log-Result";

    public static final String HANDLED = "Handled";
    public static final String UNHANDLED = "Unhandled";

    // Error types, Lambda's names for the same failures.
    public static final String TIMED_OUT = "Sandbox.Timedout";
    public static final String EXIT_ERROR = "Runtime.ExitError";
    public static final String RESPONSE_TOO_LARGE = "Function.ResponseSizeTooLarge";
    /**
     * The errorType of a 503 with which a runtime refuses a call it did not start (it is draining or ending): the
     * gateway treats that as an instance that could not be reached, not as a function error.
     */
    public static final String UNAVAILABLE = "Runtime.Unavailable";

    /** Lambda's limit on a function's response: 6 MB. */
    public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    /** Lambda's limit on a synchronous invocation's event. */
    public static final int MAX_SYNC_EVENT_BYTES = 6 * 1024 * 1024;
    /** Lambda's limit on an asynchronous invocation's event. */
    public static final int MAX_ASYNC_EVENT_BYTES = 1024 * 1024;
    /** Lambda returns the last 4 KB of an invocation's log to a caller that asks for it. */
    public static final int LOG_TAIL_BYTES = 4096;

    private Contract() {
    }

    /** Lambda's message for a timed-out invocation: "Task timed out after 3.00 seconds". */
    public static String timedOutMessage(int timeoutSeconds) {
        // Locale.ROOT: a decimal point whatever the pod's locale, so log scrapers and tests can match it
        return String.format(Locale.ROOT, "Task timed out after %.2f seconds", (double) timeoutSeconds);
    }
}
