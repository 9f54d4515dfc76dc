package io.rebound.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tells a crash loop from an occasional crash (systemd's StartLimitBurst within StartLimitIntervalSec) and picks the
 * delay of the next restart. When a restart is due and {@code burst} starts already happened within {@code interval},
 * the loop deepens by one step and the delay doubles (see {@link Backoff}); a child that stayed up for at least
 * {@code interval} ends the loop. Times are {@link System#nanoTime()} values passed in, so this is tested without
 * clocks. Not thread-safe: the supervisor's event loop is its only user.
 */
final class CrashLoop {
    private final int burst;
    private final long intervalNanos;
    private final Backoff backoff;
    private final Deque<Long> starts = new ArrayDeque<>();
    private int step;

    CrashLoop(int burst, Duration interval, Backoff backoff) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: at least 1)");
        }
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
        this.backoff = backoff;
    }

    /** Records that a child was started at {@code nowNanos}. */
    void started(long nowNanos) {
        starts.addLast(nowNanos);
        forgetBefore(nowNanos);
    }

    /**
     * The delay before restarting a child that was started at {@code startedNanos} and ended at {@code nowNanos}.
     */
    Duration delayBeforeRestart(long startedNanos, long nowNanos) {
        stayedUp(startedNanos, nowNanos);
        forgetBefore(nowNanos);
        if (step > 0 || starts.size() >= burst) {
            step++;
        }
        return backoff.delay(step);
    }

    /** Ends a crash loop once the child started at {@code startedNanos} has stayed up for the interval. */
    void stayedUp(long startedNanos, long nowNanos) {
        if (nowNanos - startedNanos >= intervalNanos) {
            step = 0;
        }
    }

    /** Whether the last restart decision found a crash loop. */
    boolean looping() {
        return step > 0;
    }

    private void forgetBefore(long nowNanos) {
        while (!starts.isEmpty() && nowNanos - starts.peekFirst() > intervalNanos) {
            starts.removeFirst();
        }
    }
}
