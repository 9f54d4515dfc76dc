package io.rebound.supervisor;

import java.util.concurrent.CompletableFuture;

/** What happens to the supervisor; its event loop handles one at a time in {@code Supervisor.on(Event)}. */
sealed interface Event {

    /** Start the first child. */
    record StartRequested() implements Event {
    }

    /** Stop gracefully (SIGTERM or SIGINT to the supervisor, or its owner closing it). */
    record StopRequested(String reason) implements Event {
    }

    /**
     * Start a proxy with the configuration as it is now on disk (already validated), next to the running one, and
     * retire the running one once the new one is ready; {@code result} completes with the outcome.
     */
    record ReloadRequested(String reason, CompletableFuture<ReloadOutcome> result) implements Event {
    }

    /** A retired child (replaced by a reload) was given its stop timeout to drain; SIGKILL it if it still runs. */
    record RetiredOverdue(long generation) implements Event {
    }

    /** A timer of the standby child of launch number {@code generation} expired. */
    record StandbyTimerFired(long generation, Timer timer) implements Event {
    }

    /** A health probe of the standby child of launch number {@code generation} answered (or failed). */
    record StandbyProbeAnswered(long generation, Probe probe, HealthProbe.Outcome outcome) implements Event {
    }

    /** The restart delay of a standby child that ended (or was promoted) passed: start a new standby. */
    record StandbyRestartDue() implements Event {
    }

    /** The child of launch number {@code generation} ended. */
    record ChildExited(long generation, ChildExit exit) implements Event {
    }

    /** An event that belongs to the state it was created in; after any transition it is stale and ignored. */
    sealed interface Scoped extends Event {
        long epoch();
    }

    /** A timer set in epoch {@code epoch} expired. */
    record TimerFired(Timer timer, long epoch) implements Scoped {
    }

    /** A health probe sent in epoch {@code epoch} answered (or failed). */
    record ProbeAnswered(Probe probe, long epoch, HealthProbe.Outcome outcome) implements Scoped {
    }

    /** The supervisor's timers. */
    enum Timer {
        READY_POLL, START_TIMEOUT, LIVENESS_POLL, RESTART, STOP_TIMEOUT
    }

    /** The child's health endpoints. */
    enum Probe {
        READY("health/ready"), STARTED("health/started"), LIVE("health/live");

        private final String path;

        Probe(String path) {
            this.path = path;
        }

        String path() {
            return path;
        }
    }
}
