package dev.lambkin.gateway.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lambkin.gateway.limit.LimitShare;

class SplitLimitsTest {
    @Test
    void sharesAddUpToTheLimitExactlyForAnyNumberOfReplicas() {
        for (int limit = 0; limit <= 40; limit++) {
            for (int n = 1; n <= 5; n++) {
                int sum = 0;
                for (int i = 0; i < n; i++) {
                    int share = LimitShare.of(limit, n, i, "ns/fn-" + limit);
                    assertTrue(share == limit / n || share == limit / n + 1, "each share is floor or floor + 1");
                    sum += share;
                }
                assertEquals(limit, sum, limit + " split " + n + " ways");
            }
        }
        assertEquals(7, LimitShare.of(7, 1, 0, "x"), "one replica takes all");
    }

    @Test
    void smallReservationsLandOnDifferentReplicasForDifferentFunctions() {
        Set<Integer> holders = new HashSet<>();
        for (int f = 0; f < 20; f++) {
            for (int i = 0; i < 3; i++) {
                if (LimitShare.of(1, 3, i, "ns/fn-" + f) == 1) {
                    holders.add(i);
                }
            }
        }
        assertEquals(Set.of(0, 1, 2), holders);
        assertThrows(IllegalArgumentException.class, () -> LimitShare.of(1, 2, 2, null));
    }

    @Test
    void theLeaderSumsFreshReportsAndScalesDownOnlyWhenItHearsEveryone() {
        LoadBoard board = new LoadBoard(3000);
        board.report("gw-b", Map.of("ns/a", new LoadBoard.Load(2, 1, 1000, Set.of("p1"), Set.of())), 10_000);
        board.report("gw-c", Map.of("ns/a", new LoadBoard.Load(3, 0, 5000, Set.of("p2"), Set.of("p9"))), 11_000);
        LoadBoard.Load a = board.of("ns/a", Set.of("gw-b", "gw-c"), 12_000);
        assertEquals(new LoadBoard.Load(5, 1, 5000, Set.of("p1", "p2"), Set.of()), a);
        assertEquals(new LoadBoard.Load(0, 0, 0, Set.of(), Set.of()), board.of("ns/other", Set.of("gw-b", "gw-c"), 12_000));
        assertTrue(board.complete(Set.of("gw-b", "gw-c"), 12_000));
        // gw-b went quiet: its old work no longer counts, and nobody may scale down blind
        assertEquals(new LoadBoard.Load(3, 0, 5000, Set.of("p2"), Set.of()), board.of("ns/a", Set.of("gw-b", "gw-c"), 13_500));
        assertFalse(board.complete(Set.of("gw-b", "gw-c"), 13_500));
        assertFalse(board.complete(Set.of("gw-d"), 12_000), "a replica that never reported");
        assertTrue(board.complete(Set.of(), 12_000), "alone: nothing to wait for");
    }

    @Test
    void aMarkedPodCountsAsSeenOnlyWhenEveryReplicaSaysSoAndBusyPodsCountFromEveryRecentReport() {
        LoadBoard board = new LoadBoard(3000);
        board.report("gw-b", Map.of("ns/a", new LoadBoard.Load(0, 0, 0, Set.of(), Set.of("p1"))), 10_000);
        board.report("gw-c", Map.of("ns/a", new LoadBoard.Load(1, 0, 0, Set.of("p2"), Set.of())), 10_000);
        assertFalse(board.seenMarkedByAll("ns/a", "p1", Set.of("gw-b", "gw-c"), 10_500), "gw-c has not seen the mark yet");
        board.report("gw-c", Map.of("ns/a", new LoadBoard.Load(1, 0, 0, Set.of("p2"), Set.of("p1"))), 10_600);
        assertTrue(board.seenMarkedByAll("ns/a", "p1", Set.of("gw-b", "gw-c"), 11_000));
        // a draining replica (no longer among the ready ones) still finishes calls: its busy pods count
        board.report("gw-old", Map.of("ns/a", new LoadBoard.Load(1, 0, 0, Set.of("p3"), Set.of())), 10_800);
        assertEquals(Set.of("p2", "p3"), board.busyAnywhere("ns/a", 11_000));
        assertEquals(Set.of(), board.busyAnywhere("ns/a", 20_000), "stale reports no longer count");
    }
}
