package io.rebound.supervisor;

import io.rebound.supervisor.history.SupervisorEvents;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the supervisor counts of children that ended: restarts by reason, the last exit, and the crash loop; each
 * restart also goes on the timeline of {@link SupervisorEvents}.
 */
final class RestartBook {
    private final Map<RestartReason, Long> restarts = new EnumMap<>(RestartReason.class);
    private final CrashLoop crashLoop;
    private final SupervisorEvents events;
    private ChildExit lastExit;

    RestartBook(CrashLoop crashLoop, SupervisorEvents events) {
        this.crashLoop = crashLoop;
        this.events = events;
    }

    /** A child starts serving as the main one at {@code nowNanos}: a launch or a promotion. */
    void started(long nowNanos) {
        crashLoop.started(nowNanos);
    }

    void ended(ChildExit exit) {
        lastExit = exit;
    }

    /** Counts a restart for {@code reason}: the delay before it, from a child started at {@code startedNanos}. */
    Duration restart(RestartReason reason, long startedNanos, long nowNanos) {
        restarts.merge(reason, 1L, Long::sum);
        Duration delay = crashLoop.delayBeforeRestart(startedNanos, nowNanos);
        // The delay is before the next proxy starts: the replacement, or a new standby when the standby took over.
        events.restart(reason.label(), ended() + "; restart " + total() + ", a new proxy starts in "
                + Coordinator.format(delay) + (crashLoop.looping() ? " (crash-looping: the delay grows)" : ""));
        return delay;
    }

    /** Counts a restart that needs no delay: a new proxy takes the ended one's place at once. */
    void replaced(RestartReason reason) {
        restarts.merge(reason, 1L, Long::sum);
        events.restart(reason.label(), ended() + "; restart " + total() + ": a reload's new proxy takes its place");
    }

    private String ended() {
        return lastExit == null ? "a child ended" : "pid " + lastExit.pid() + " ended with " + lastExit.describe();
    }

    /** Ends a crash loop once the main child, started at {@code startedNanos}, stayed up long enough. */
    void stayedUp(long startedNanos, long nowNanos) {
        crashLoop.stayedUp(startedNanos, nowNanos);
    }

    boolean looping() {
        return crashLoop.looping();
    }

    long total() {
        return restarts.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<RestartReason, Long> byReason() {
        return Map.copyOf(restarts);
    }

    Optional<ChildExit> lastExit() {
        return Optional.ofNullable(lastExit);
    }
}
