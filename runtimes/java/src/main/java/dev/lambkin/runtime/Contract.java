package dev.lambkin.runtime;

/** Header names of the runtime contract (DESIGN.md). */
final class Contract {
    static final String REQUEST_ID = "Lambkin-Request-Id";
    static final String DEADLINE_MS = "Lambkin-Deadline-Ms";
    static final String FUNCTION_NAME = "Lambkin-Function-Name";
    static final String INVOCATION_TYPE = "Lambkin-Invocation-Type";
    static final String ATTEMPT = "Lambkin-Attempt";
    static final String TRACEPARENT = "traceparent";
    static final String LOG_TYPE = "Lambkin-Log-Type";
    static final String FUNCTION_ERROR = "Lambkin-Function-Error";
    static final String MAX_MEMORY_USED = "Lambkin-Max-Memory-Used";
    static final String LOG_RESULT = "Lambkin-Log-Result";

    private Contract() {
    }
}
