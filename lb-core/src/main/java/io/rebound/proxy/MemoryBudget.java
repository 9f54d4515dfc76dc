package io.rebound.proxy;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes that all connections together may hold for one purpose (unfinished request heads, buffered bodies). */
final class MemoryBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit; false (and nothing taken) when they would pass the limit. */
    boolean tryTake(long bytes) {
        long now = used.addAndGet(bytes);
        if (now > limit) {
            used.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void give(long bytes) {
        if (bytes != 0) {
            used.addAndGet(-bytes);
        }
    }

    long used() {
        return used.get();
    }
}
