package io.rebound.resolve;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The addresses of one name over time: a lookup with addresses replaces them; a failed one keeps the last good
 * addresses for {@code hold-nx} (no such name) or {@code hold-timeout} (no answer, or another failure) from the last
 * good answer, then gives them up. Pure: time comes in as {@code System.nanoTime()} values.
 */
final class NameHold {
    private final long holdNxNanos;
    private final long holdTimeoutNanos;
    private List<InetAddress> last = List.of();
    private long lastGoodNanos;

    NameHold(Duration holdNx, Duration holdTimeout) {
        this.holdNxNanos = holdNx.toNanos();
        this.holdTimeoutNanos = holdTimeout.toNanos();
    }

    /** The addresses to use now, and the lookup's error while it failed (held addresses or none). */
    record Decision(List<InetAddress> addresses, Optional<String> error) {
    }

    Decision next(DnsAnswer answer, long nowNanos) {
        if (answer.found()) {
            last = answer.addresses();
            lastGoodNanos = nowNanos;
            return new Decision(last, Optional.empty());
        }
        long hold = answer.outcome() == DnsAnswer.Outcome.NO_SUCH_NAME ? holdNxNanos : holdTimeoutNanos;
        if (!last.isEmpty() && nowNanos - lastGoodNanos >= hold) {
            last = List.of();
        }
        return new Decision(last, Optional.of(answer.error()));
    }
}
