package io.rebound.supervisor;

import io.rebound.config.HostPort;
import java.util.concurrent.CompletableFuture;

/**
 * A child whose program could not be executed: it ends at once with the shell's "cannot execute" code, so the restart
 * policy and the crash-loop delay apply as to any other failed start.
 */
record NeverStarted(HostPort admin, long startedNanos, long startedEpochMillis) implements Child {
    static final int CANNOT_EXECUTE = 126;

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public CompletableFuture<ChildExit> exit() {
        return CompletableFuture.completedFuture(new ChildExit(-1, CANNOT_EXECUTE, startedEpochMillis));
    }

    @Override
    public void terminate() {
        // Nothing runs.
    }

    @Override
    public void kill() {
        // Nothing runs.
    }
}
