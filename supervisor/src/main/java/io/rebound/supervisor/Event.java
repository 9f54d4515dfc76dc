package io.rebound.supervisor;

import io.rebound.supervisor.Prober.Outcome;
import io.rebound.supervisor.Prober.Probe;
import java.util.concurrent.CompletableFuture;

/**
 * What happens to the supervisor. Its event loop handles one at a time: events about one child go to that child's
 * {@link ChildLifecycle}, which may answer with one of the events the {@link Coordinator}'s table acts on.
 */
sealed interface Event {

    /** Start the first child. */
    record StartRequested() implements Event {
    }

    /** Stop gracefully (SIGTERM or SIGINT to the supervisor, or its owner closing it). */
    record StopRequested(String reason) implements Event {
    }

    /**
     * Start a proxy with the configuration as it is now on disk (already validated) next to the running one, and
     * retire the running one once the new one runs; {@code result} completes with the outcome.
     */
    record ReloadRequested(String reason, CompletableFuture<ReloadOutcome> result) implements Event {
    }

    /** The restart delay of the main child, set in coordinator state {@code epoch}, passed. */
    record RestartDue(long epoch) implements Event {
    }

    /** The restart delay of the standby passed: start a new standby. */
    record StandbyDue() implements Event {
    }

    /** What the main child answered to /health/ready, asked in coordinator state {@code epoch}. */
    record MainReadiness(long epoch, Outcome outcome) implements Event {
    }

    // About one child, for its lifecycle.

    /** A timer of the child of launch number {@code launch}, set in its step {@code step}, expired. */
    record ChildTimer(long launch, long step, Timer timer) implements Event {
    }

    /** A probe of the child of launch number {@code launch}, sent in its step {@code step}, answered (or failed). */
    record ChildProbe(long launch, long step, Probe probe, Outcome outcome) implements Event {
    }

    /** The process of the child of launch number {@code launch} ended. */
    record ChildExited(long launch, ChildExit exit) implements Event {
    }

    // What a lifecycle tells the coordinator.

    /** The child runs: ready, or started with no server up. */
    record ChildRunning(ChildLifecycle child) implements Event {
    }

    /** The child failed its start or its liveness and was sent SIGKILL. */
    record ChildKilled(ChildLifecycle child) implements Event {
    }

    /** The child ended (see {@link ChildLifecycle#exit()} and {@link ChildLifecycle#killReason()}). */
    record ChildEnded(ChildLifecycle child) implements Event {
    }

    /** A child's timers. */
    enum Timer {
        READY_POLL, START_TIMEOUT, LIVENESS_POLL, DRAIN_OVERDUE
    }
}
