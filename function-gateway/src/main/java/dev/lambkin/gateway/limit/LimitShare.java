package dev.lambkin.gateway.limit;

/**
 * One gateway replica's share of a limit when several replicas enforce it without talking per request (as
 * Knative's activators split a revision's capacity): floor(limit / replicas), plus one for as many replicas as
 * the remainder. The shares always add up to the limit exactly, so the limit holds across replicas. Which
 * replicas get the extra one rotates with a salt (the function's name), so a reservation of 1 with three
 * replicas does not always land on the same one.
 */
public final class LimitShare {
    private LimitShare() {
    }

    /** @param replicas ready gateway replicas (at least 1); index: this replica's place among them */
    public static int of(int limit, int replicas, int index, String salt) {
        if (replicas < 1 || index < 0 || index >= replicas || limit < 0) {
            throw new IllegalArgumentException("need limit >= 0 and 0 <= index < replicas");
        }
        int base = limit / replicas, extra = limit % replicas;
        int slot = Math.floorMod(index + (salt == null ? 0 : salt.hashCode()), replicas);
        return base + (slot < extra ? 1 : 0);
    }
}
