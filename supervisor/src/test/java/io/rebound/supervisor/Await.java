package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling of real conditions; the bound is generous, the poll fine-grained. */
public final class Await {
    private static final long POLL_MILLIS = 5;

    private Await() {
    }

    /** Waits until {@code condition} holds; fails after {@code bound}, saying what was awaited and what was seen. */
    public static void until(Duration bound, String what, BooleanSupplier condition, Supplier<Object> seen) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + bound + ": " + what + "; last seen: " + seen.get());
            }
            pause();
        }
    }

    /** Checks that {@code condition} holds throughout {@code period}: how a test shows that nothing happens. */
    public static void holdsFor(Duration period, String what, BooleanSupplier condition, Supplier<Object> seen) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!condition.getAsBoolean()) {
                fail("stopped holding within " + period + ": " + what + "; seen: " + seen.get());
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
