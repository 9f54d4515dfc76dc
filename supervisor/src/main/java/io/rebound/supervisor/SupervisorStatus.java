package io.rebound.supervisor;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An immutable snapshot of the supervisor, published by its event loop after every event and read without locks by
 * the admin listener ({@code /status}, {@code /metrics}) and by tests.
 *
 * @param sinceEpochMillis wall-clock time the current state was entered
 * @param childPid the running child's pid, if a child process exists
 * @param childStartedEpochMillis wall-clock launch time of that child
 * @param restarts restarts so far, by reason (every reason present, zero or more)
 * @param lastExit how the last child ended, if one did
 * @param nextRestartDelay the delay chosen for the pending restart, while in {@link SupervisorState#BACKOFF}
 * @param crashLooping whether the restarts come too fast (the delay grows)
 * @param reloads reloads that replaced the child
 * @param drainingPids children replaced by a reload that are still draining
 * @param standbyPid the warm standby child's pid, if one runs
 * @param standbyReady whether that standby runs (serving beside the main child)
 * @param listener whether the children serve the supervisor's listening socket, and why (not)
 */
public record SupervisorStatus(
        SupervisorState state,
        long sinceEpochMillis,
        OptionalLong childPid,
        OptionalLong childStartedEpochMillis,
        Map<RestartReason, Long> restarts,
        Optional<ChildExit> lastExit,
        Optional<Duration> nextRestartDelay,
        boolean crashLooping,
        long reloads,
        List<Long> drainingPids,
        OptionalLong standbyPid,
        boolean standbyReady,
        ListenerMode listener) {

    public SupervisorStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(childPid, "childPid");
        Objects.requireNonNull(childStartedEpochMillis, "childStartedEpochMillis");
        EnumMap<RestartReason, Long> all = new EnumMap<>(RestartReason.class);
        for (RestartReason reason : RestartReason.values()) {
            all.put(reason, restarts.getOrDefault(reason, 0L));
        }
        restarts = Map.copyOf(all);
        Objects.requireNonNull(lastExit, "lastExit");
        Objects.requireNonNull(nextRestartDelay, "nextRestartDelay");
        drainingPids = List.copyOf(drainingPids);
        Objects.requireNonNull(standbyPid, "standbyPid");
        Objects.requireNonNull(listener, "listener");
    }

    /** All restarts, whatever the reason. */
    public long restartsTotal() {
        return restarts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether a child is up and counted as running (also while a reload replaces it). */
    public boolean childUp() {
        return state == SupervisorState.RUNNING || state == SupervisorState.RELOADING;
    }
}
