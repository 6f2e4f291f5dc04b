package dev.lambkin.gateway.scale;

/**
 * How many instances a function should have: desired = ceil((in-flight + held) / perInstance) within
 * minInstances..maxInstances. Up at once; down one instance per decision while there is less work; down to
 * minInstances (zero by default) once the function has had no work for idleSeconds. Plain arithmetic.
 */
public final class Autoscaler {
    private Autoscaler() {
    }

    /** What the autoscaler knows of one function at one moment. */
    public record Load(int inFlight, int held, int perInstance, int minInstances, Integer maxInstances, int current,
            long idleMillis, long idleSeconds) {
    }

    public static int desired(Load load) {
        int work = load.inFlight() + load.held();
        int needed = (work + load.perInstance() - 1) / load.perInstance();
        int target = Math.max(load.minInstances(), needed);
        if (load.maxInstances() != null) {
            target = Math.min(target, load.maxInstances());
        }
        if (target >= load.current()) {
            return target;
        }
        if (work == 0) {
            // keep the instances warm until the function has been idle long enough, then let them all go
            return load.idleMillis() >= load.idleSeconds() * 1000 ? target : load.current();
        }
        return Math.max(target, load.current() - 1);
    }
}
