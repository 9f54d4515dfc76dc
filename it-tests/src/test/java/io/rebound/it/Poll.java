package io.rebound.it;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Bounded polling of a real condition: every drill waits with this, never with a bare sleep. A probe that throws
 * (connection refused while a process starts, say) counts as "not yet"; the timeout's message names what was
 * awaited, the last value seen and the last failure.
 */
final class Poll {
    /** Between two probes: short against the drills' 500 ms check interval, long enough not to load the machine. */
    private static final Duration EVERY = Duration.ofMillis(50);

    @FunctionalInterface
    interface Probe<T> {
        T get() throws Exception;
    }

    private Poll() {
    }

    /** Probes until {@code done} accepts the value and returns that value; fails after {@code timeout}. */
    static <T> T until(String what, Duration timeout, Probe<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception lastFailure = null;
        while (true) {
            try {
                last = probe.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError timedOut = new AssertionError(
                        "Timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last value: " + last);
                if (lastFailure != null) {
                    timedOut.initCause(lastFailure);
                }
                throw timedOut;
            }
            pause();
        }
    }

    /** Probes until the condition holds; fails after {@code timeout}. */
    static void until(String what, Duration timeout, Probe<Boolean> condition) {
        until(what, timeout, condition, Boolean.TRUE::equals);
    }

    /**
     * Probes for the whole of {@code window} and fails at the first probe where the condition no longer holds: for
     * "does not happen" claims (no restart loop), which a single look could not prove.
     */
    static void holdsFor(String what, Duration window, Probe<Boolean> condition) {
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() - end < 0) {
            Boolean holds;
            try {
                holds = condition.get();
            } catch (Exception e) {
                throw new AssertionError("probing that " + what + " failed", e);
            }
            if (!Boolean.TRUE.equals(holds)) {
                throw new AssertionError("expected " + what + " for " + window.toMillis() + " ms, but it ended");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(EVERY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }
}
