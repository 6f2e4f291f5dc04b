package dev.lambkin.gateway.invoke;

import dev.lambkin.contract.Contract;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * How one invocation ended, as the pipeline saw it. The edges (sync HTTP, async workers) each map it to their
 * answer in one place; no HTTP status travels inward.
 */
public sealed interface Outcome {

    /** The function answered with success. */
    record Answered(String pod, MultiMap headers, Buffer body) implements Outcome {
    }

    /**
     * The function failed, Lambda's "function error": it answered an error, ran past its timeout, its process
     * exited during the call, or its response was too large. {@code kind} is Handled or Unhandled.
     */
    sealed interface FunctionFailure extends Outcome {
        String pod();

        String kind();

        String errorType();

        String errorMessage();
    }

    /** The function answered an error (Lambkin-Function-Error or a non-2xx status); body is its own answer. */
    record FunctionError(String pod, String kind, String errorType, String errorMessage, MultiMap headers, Buffer body)
            implements FunctionFailure {
    }

    /** The call ran past timeoutSeconds: answered at once, the instance is replaced. */
    record TimedOut(String pod, int timeoutSeconds) implements FunctionFailure {
        public String kind() {
            return Contract.UNHANDLED;
        }

        public String errorType() {
            return Contract.TIMED_OUT;
        }

        public String errorMessage() {
            return Contract.timedOutMessage(timeoutSeconds);
        }
    }

    /** The process exited (or dropped the connection) during the call: Runtime.ExitError, the instance is replaced. */
    record Crashed(String pod, String requestId, String detail) implements FunctionFailure {
        public String kind() {
            return Contract.UNHANDLED;
        }

        public String errorType() {
            return Contract.EXIT_ERROR;
        }

        public String errorMessage() {
            return "RequestId: " + requestId + " Error: " + detail;
        }
    }

    /** The function's response was over the limit (Lambda: 6 MB): a function error, the answer is dropped. */
    record ResponseTooLarge(String pod, long limitBytes) implements FunctionFailure {
        public String kind() {
            return Contract.UNHANDLED;
        }

        public String errorType() {
            return Contract.RESPONSE_TOO_LARGE;
        }

        public String errorMessage() {
            return "Response payload size exceeded maximum allowed payload size (" + limitBytes + " bytes).";
        }
    }

    /** The invocation was refused for concurrency (the limiter, or too many requests held for the function). */
    record Throttled(String reason, String message) implements Outcome {
    }

    /**
     * The system, not the function, failed: the function's pods cannot start, no instance was ready within the
     * init budget, the pod could not be reached, or the gateway has no room to hold the request.
     */
    sealed interface SystemFailure extends Outcome {
        String reason();

        String message();
    }

    /** The function's pods cannot start (the reason from the pod's status, e.g. ImagePullBackOff). */
    record StartFailed(String reason, String message) implements SystemFailure {
    }

    /** No instance became ready within the wait for one (the init budget, or the hold timeout). */
    record NoInstance(String reason, String message) implements SystemFailure {
    }

    /** The pod could not be connected to; nothing was sent. */
    record Unreachable(String pod, String message) implements SystemFailure {
        public String reason() {
            return "Unreachable";
        }
    }

    /** The gateway holds as many request bytes as it may; this one was not taken. */
    record Overloaded(String reason, String message) implements SystemFailure {
    }
}
