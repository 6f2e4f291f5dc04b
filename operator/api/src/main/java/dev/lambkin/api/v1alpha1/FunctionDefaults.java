package dev.lambkin.api.v1alpha1;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * A Function's settings with the CRD's defaults filled in, for the operator and the gateway alike. The API
 * server applies the same defaults at admission; these cover objects read before defaulting (unit tests, old
 * objects).
 */
public final class FunctionDefaults {
    private FunctionDefaults() {
    }

    public static int port(FunctionSpec s) {
        return s.port != null ? s.port : FunctionSpec.DEFAULT_PORT;
    }

    public static int timeoutSeconds(FunctionSpec s) {
        return s.timeoutSeconds != null ? s.timeoutSeconds : FunctionSpec.DEFAULT_TIMEOUT_SECONDS;
    }

    public static int minInstances(FunctionSpec s) {
        return s.scaling != null && s.scaling.minInstances != null ? s.scaling.minInstances : 0;
    }

    /** Null: no bound but the function's concurrency. */
    public static Integer maxInstances(FunctionSpec s) {
        return s.scaling != null ? s.scaling.maxInstances : null;
    }

    public static int idleSeconds(FunctionSpec s) {
        return s.scaling != null && s.scaling.idleSeconds != null ? s.scaling.idleSeconds : ScalingSpec.DEFAULT_IDLE_SECONDS;
    }

    public static int perInstance(FunctionSpec s) {
        return s.concurrency != null && s.concurrency.perInstance != null ? s.concurrency.perInstance : 1;
    }

    /** Null: the function shares the unreserved pool. */
    public static Integer reserved(FunctionSpec s) {
        return s.concurrency != null ? s.concurrency.reserved : null;
    }

    /** Lambda's memory size: the memory limit, else the request, in MiB. */
    public static Optional<Long> memorySizeMiB(FunctionSpec s) {
        if (s.resources == null) {
            return Optional.empty();
        }
        Quantity q = s.resources.getLimits() != null ? s.resources.getLimits().get("memory") : null;
        if (q == null && s.resources.getRequests() != null) {
            q = s.resources.getRequests().get("memory");
        }
        return q == null ? Optional.empty() : Optional.of(q.getNumericalAmount().longValue() / (1024 * 1024));
    }

    public static RuntimeApi runtimeApi(FunctionSpec s) {
        return s.runtimeApi != null ? s.runtimeApi : RuntimeApi.LAMBKIN;
    }

    /** Retries after a function error for an asynchronous event (Lambda's default 2). */
    public static int maxRetries(FunctionSpec s) {
        return s.async != null && s.async.maxRetries != null ? s.async.maxRetries : 2;
    }

    /** Oldest an asynchronous event may get (Lambda's default: 6 hours). */
    /** Lambda's (and the CRD's) longest maxEventAgeSeconds: 6 hours. */
    public static final int MAX_EVENT_AGE_SECONDS = 21600;

    public static int maxEventAgeSeconds(FunctionSpec s) {
        return s.async != null && s.async.maxEventAgeSeconds != null ? s.async.maxEventAgeSeconds : MAX_EVENT_AGE_SECONDS;
    }

    public static Optional<String> deadLetterQueue(FunctionSpec s) {
        return Optional.ofNullable(s.async).map(a -> a.deadLetterQueue);
    }
}
