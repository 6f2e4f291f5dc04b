package dev.lambkin.gateway.route;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pod of a function, as the gateway routes to it: its address, how many invocations it is serving, and
 * whether it takes new ones. The same object lives as long as the pod, so its count of calls survives the pod
 * going out of rotation and back (a readiness blip), and an instance never takes more than perInstance calls.
 */
public final class Instance {
    private final FunctionKey function;
    private final String pod;
    private final String ip;
    private final int port;
    private final int restartsAtStart;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean routable;
    private volatile boolean retired;

    /** An instance in rotation at this address (the routing table makes its own; this is for tests and tools). */
    public static Instance routable(FunctionKey function, String pod, String ip, int port) {
        Instance i = new Instance(function, pod, ip, port, 0);
        i.routable(true);
        return i;
    }

    Instance(FunctionKey function, String pod, String ip, int port, int restartsAtStart) {
        this.function = function;
        this.pod = pod;
        this.ip = ip;
        this.port = port;
        this.restartsAtStart = restartsAtStart;
    }

    public FunctionKey function() {
        return function;
    }

    public String pod() {
        return pod;
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    public int outstanding() {
        return outstanding.get();
    }

    int restartsAtStart() {
        return restartsAtStart;
    }

    boolean routable() {
        return routable && !retired;
    }

    /** True when this changed whether the instance takes calls. */
    boolean routable(boolean now) {
        boolean before = routable();
        routable = now;
        return before != routable();
    }

    boolean retired() {
        return retired;
    }

    /** Leaves rotation for good; true the first time. */
    boolean retire() {
        if (retired) {
            return false;
        }
        retired = true;
        return true;
    }

    /** Takes a slot if the instance is in rotation and fewer than {@code perInstance} invocations run here. */
    boolean tryTake(int perInstance) {
        while (routable()) {
            int now = outstanding.get();
            if (now >= perInstance) {
                return false;
            }
            if (outstanding.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Gives a slot back; the number of calls still running here. */
    int giveBack() {
        return outstanding.decrementAndGet();
    }
}
