package io.rebound.supervisor;

import java.util.Set;

/** What the supervisor does once the child is gone: restart it, or stay up and report it inactive or failed. */
enum AfterExit {
    /** Start a new child after the restart delay. */
    RESTART,
    /** No restart; the child ended cleanly (exit 0 under on-failure or no): {@code inactive (dead)}. */
    STAY_STOPPED,
    /** No restart; the child failed (an exit code that prevents restarts, or any failure under no): {@code failed}. */
    STAY_FAILED;

    /**
     * The decision for a child that ended with {@code exit}, by itself or killed by the supervisor
     * ({@code killedBySupervisor}: liveness or not ready, a failure whatever the exit value says).
     */
    static AfterExit decide(RestartPolicy policy, Set<Integer> preventExitStatus, ChildExit exit,
            boolean killedBySupervisor) {
        if (!killedBySupervisor && preventExitStatus.contains(exit.exitValue())) {
            return STAY_FAILED;
        }
        boolean clean = !killedBySupervisor && exit.exitValue() == 0;
        return switch (policy) {
            case ALWAYS -> RESTART;
            case ON_FAILURE -> clean ? STAY_STOPPED : RESTART;
            case NO -> clean ? STAY_STOPPED : STAY_FAILED;
        };
    }
}
