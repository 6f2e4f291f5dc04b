package dev.lambkin.gateway.route;

import java.util.concurrent.atomic.AtomicInteger;

/** One pod of a function, as the gateway routes to it: its address and how many invocations it is serving. */
public final class Instance {
    private final String pod;
    private final String ip;
    private final int port;
    private final AtomicInteger outstanding = new AtomicInteger();

    Instance(String pod, String ip, int port) {
        this.pod = pod;
        this.ip = ip;
        this.port = port;
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

    /** Takes a slot if fewer than {@code perInstance} invocations run here. */
    boolean tryTake(int perInstance) {
        while (true) {
            int now = outstanding.get();
            if (now >= perInstance) {
                return false;
            }
            if (outstanding.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    public void release() {
        outstanding.decrementAndGet();
    }
}
