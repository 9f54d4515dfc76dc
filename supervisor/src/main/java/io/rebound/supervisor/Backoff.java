package io.rebound.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * The pause before a restart as a pure function of how deep into a crash loop the supervisor is: {@code base} while
 * not crash-looping (step 0), then {@code base * 2^step}, never more than {@code max}.
 */
public record Backoff(Duration base, Duration max) {

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative()) {
            throw new IllegalArgumentException("base: " + base + " (expected: not negative)");
        }
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: at least base " + base + ")");
        }
    }

    /** @param step 0 when not crash-looping, n for the n-th restart since the crash loop began */
    public Duration delay(int step) {
        if (step <= 0) {
            return base;
        }
        // Doubling 62 times overflows any base above 1 ns; past the bound the cap applies anyway.
        if (step >= 62) {
            return max;
        }
        long factor = 1L << step;
        long baseNanos = base.toNanos();
        if (baseNanos != 0 && factor > max.toNanos() / baseNanos) {
            return max;
        }
        Duration doubled = Duration.ofNanos(baseNanos * factor);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
