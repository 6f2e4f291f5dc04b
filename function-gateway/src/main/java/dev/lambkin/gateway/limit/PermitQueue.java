package dev.lambkin.gateway.limit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;


/**
 * Asynchronous events wait here for a concurrency slot instead of being refused: the limiter's refusal is a
 * 429 for a synchronous caller, but an event "is never refused for throttling". Each released permit hands
 * slots to waiting events, first come first served per function. Plain Java, no clock: the caller bounds the
 * wait (a future that completes exceptionally gives up its place; a permit granted to it is released again).
 */
public final class PermitQueue {
    private final ConcurrencyLimiter limiter;
    private final Map<String, Deque<CompletableFuture<ConcurrencyLimiter.Permit>>> waiting = new LinkedHashMap<>();
    /** Futures in the queues (given-up ones until they are swept). */
    private final java.util.concurrent.atomic.AtomicInteger waitingCount = new java.util.concurrent.atomic.AtomicInteger();

    public PermitQueue(ConcurrencyLimiter limiter) {
        this.limiter = limiter;
    }

    /** A permit at once when the limits allow it, else later, in turn. */
    public synchronized CompletableFuture<ConcurrencyLimiter.Permit> acquire(String function) {
        // counted before trying, so a release racing with a refusal below sees a waiter and grants after it queued
        waitingCount.incrementAndGet();
        Deque<CompletableFuture<ConcurrencyLimiter.Permit>> queue = waiting.get(function);
        if (queue != null) {
            dropGivenUp(queue); // those who gave up are not ahead (with nothing released since, no grant swept them)
        }
        if (queue == null || queue.isEmpty()) {
            // nobody of this function is ahead
            if (limiter.tryAcquire(function) instanceof ConcurrencyLimiter.Permit p) {
                waitingCount.decrementAndGet();
                return CompletableFuture.completedFuture(p);
            }
        }
        CompletableFuture<ConcurrencyLimiter.Permit> f = new CompletableFuture<>();
        waiting.computeIfAbsent(function, k -> new ArrayDeque<>()).add(f);
        return f;
    }

    /** A slot may be free: grant it to the events waiting longest. Cheap when nobody waits (every sync call). */
    public void released() {
        if (waitingCount.get() > 0) {
            grant();
        }
    }

    private synchronized void grant() {
        Iterator<Map.Entry<String, Deque<CompletableFuture<ConcurrencyLimiter.Permit>>>> functions = waiting.entrySet().iterator();
        while (functions.hasNext()) {
            var entry = functions.next();
            Deque<CompletableFuture<ConcurrencyLimiter.Permit>> queue = entry.getValue();
            while (!dropGivenUp(queue).isEmpty()) {
                if (!(limiter.tryAcquire(entry.getKey()) instanceof ConcurrencyLimiter.Permit p)) {
                    break;
                }
                waitingCount.decrementAndGet();
                if (!queue.poll().complete(p)) {
                    limiter.release(p);
                }
            }
            if (queue.isEmpty()) {
                functions.remove();
            }
        }
    }

    /** Removes the waiters at the head that gave up waiting; returns the queue. */
    private Deque<CompletableFuture<ConcurrencyLimiter.Permit>> dropGivenUp(Deque<CompletableFuture<ConcurrencyLimiter.Permit>> queue) {
        while (!queue.isEmpty() && queue.peek().isDone()) {
            queue.poll();
            waitingCount.decrementAndGet();
        }
        return queue;
    }

    public synchronized int waiting(String function) {
        Deque<CompletableFuture<ConcurrencyLimiter.Permit>> q = waiting.get(function);
        return q == null ? 0 : (int) q.stream().filter(f -> !f.isDone()).count();
    }
}
