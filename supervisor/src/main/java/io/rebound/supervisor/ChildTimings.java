package io.rebound.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * The times that rule every child's lifecycle, whatever its role.
 *
 * @param readyPoll how often /health/ready is asked while a child starts: cheap on loopback, and it bounds how late a
 *     ready child is seen as running
 * @param startTimeout how long a child may take to get ready; then /health/started decides
 * @param liveness how /health/live is probed once it runs
 * @param stopTimeout SIGTERM-to-SIGKILL grace
 */
record ChildTimings(Duration readyPoll, Duration startTimeout, LivenessSettings liveness, Duration stopTimeout) {
    static final Duration READY_POLL = Duration.ofMillis(50);

    ChildTimings {
        Objects.requireNonNull(readyPoll, "readyPoll");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
    }

    static ChildTimings of(SupervisorSettings settings) {
        return new ChildTimings(READY_POLL, settings.startTimeout(), settings.liveness(), settings.stopTimeout());
    }
}
