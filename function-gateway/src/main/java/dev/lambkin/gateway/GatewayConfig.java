package dev.lambkin.gateway;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's settings (application.properties, or LAMBKIN_GATEWAY_* environment variables). */
@ConfigMapping(prefix = "lambkin.gateway")
public interface GatewayConfig {
    Concurrency concurrency();

    Hold hold();

    Async async();

    Peers peers();

    Auth auth();

    Triggers triggers();

    Aws aws();

    /** Lambda's own API on the gateway. */
    interface Aws {
        /** The region in the ARNs the gateway writes (FunctionArn); any region is accepted in requests. */
        @WithDefault("us-east-1")
        String region();

        /**
         * SigV4 access keys from labelled Secrets: the gateway then needs list/watch on Secrets (RBAC cannot narrow
         * that by label), so it is off unless asked for; off, Lambda's API takes bearer tokens.
         */
        @WithDefault("false")
        boolean accessKeys();
    }

    /** Event sources: how schedules fire. */
    interface Triggers {
        /** How often the leader looks at every schedule. */
        @WithDefault("1s")
        java.time.Duration tick();

        /**
         * After downtime, the most recent missed instant still fires if it is at most this old (a CronJob's
         * startingDeadlineSeconds); older ones never do.
         */
        @WithDefault("1h")
        java.time.Duration catchUp();
    }

    /** Who may invoke: Kubernetes identities and RBAC (the default), or nobody is asked (a trusted network). */
    interface Auth {
        enum Mode {
            kubernetes, none
        }

        @WithDefault("kubernetes")
        Mode mode();

        /** How long a TokenReview's or SubjectAccessReview's answer is reused (positive and negative). */
        @WithDefault("10s")
        Duration cacheTtl();

        /** Most answers kept of each kind. */
        @WithDefault("10000")
        int cacheSize();

        /** Longest wait for the API server's answer; then 503. */
        @WithDefault("2s")
        Duration timeout();
    }

    /** Several gateway replicas: who they are, and the Lease whose holder runs the autoscaler. */
    interface Peers {
        /** This gateway's pod (downward API). Unset: one gateway on its own (e.g. outside the cluster). */
        java.util.Optional<String> podName();

        /** The namespace the gateway pods run in (downward API). */
        java.util.Optional<String> namespace();

        /** Label selector of the gateway pods. */
        @WithDefault("app.kubernetes.io/name=lambkin-gateway")
        String selector();

        @WithDefault("lambkin-gateway")
        String lease();
    }

    /** How often the autoscaler decides. */
    @WithDefault("1s")
    Duration scaleInterval();

    interface Concurrency {
        /** The installation's pool of concurrent invocations (Lambda's account concurrency). */
        @WithDefault("1000")
        int total();

        /** What reservations must leave to the functions without one (Lambda keeps 100). */
        @WithDefault("100")
        int unreservedMinimum();
    }

    /** Asynchronous events: retries, backoff and how the workers take events from the stream. */
    interface Async {
        /** Waits before the 1st, 2nd… retry after a function error (Lambda: about 1 then 2 minutes). */
        @WithDefault("60s,120s")
        java.util.List<Duration> retryDelays();

        /** First wait after a throttle or system error; doubled with each one in a row, up to systemRetryMax. */
        @WithDefault("1s")
        Duration systemRetryInitial();

        @WithDefault("5m")
        Duration systemRetryMax();

        /**
         * How long an event handed to a gateway stays invisible to the others; a worker that holds it longer says
         * it is still working on it. After a gateway dies, its events are delivered again after this.
         */
        @WithDefault("30s")
        Duration ackWait();

        /** Events of one function a gateway works on or waits with at once (JetStream's max ack pending). */
        @WithDefault("256")
        int maxPendingPerFunction();

        /**
         * How long each pull for events stays open; a consumer whose pulls go unanswered for a few of these (a lost
         * server) pulls again.
         */
        @WithDefault("10s")
        Duration pullExpires();

        /**
         * How long a gateway keeps reading a function's events after the last one it saw; then it lets the
         * function's consumer go until events arrive again (idle Functions cost no pulls).
         */
        @WithDefault("60s")
        Duration consumerIdle();

        /** Longest an event waits in a gateway for a concurrency slot before it goes back to the stream. */
        @WithDefault("30s")
        Duration throttleWait();

        /**
         * Age at which the events stream itself drops an event; it must exceed the longest maxEventAgeSeconds plus
         * the longest backoff and ack wait (checked at start-up), so only the gateway ever gives up on an event.
         */
        @WithDefault("7h")
        Duration streamMaxAge();
    }

    /** Requests waiting for an instance (scale from zero, or all instances busy). */
    interface Hold {
        /** Most requests held per function; more are refused with 429. */
        @WithDefault("1000")
        int maxRequests();

        /** Longest a request waits for a slot on a function whose instances are all busy. */
        @WithDefault("60s")
        Duration timeout();

        /**
         * Longest a request waits for a cold start (Lambda's init budget, 10 s). The function's own timeout starts
         * when the call reaches it, so a slow start never eats into it.
         */
        @WithDefault("10s")
        Duration initTimeout();

        /** Bytes of held requests across the installation (memory stays bounded); beyond it, 503. */
        @WithDefault("134217728")
        long maxBytes();
    }
}
