package io.rebound.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A bounded poll for a real condition: never a bare sleep standing in for one. */
public final class Await {
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    public static void until(Duration timeout, String condition, BooleanSupplier check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting until " + condition);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting until " + condition, e);
            }
        }
    }
}
